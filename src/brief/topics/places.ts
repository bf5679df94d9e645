/**
 * Places the entity extractor recognizes by name: countries, regions, US states and major
 * cities, written out from general knowledge. A name here is tagged as a place; a demonym
 * ("Iraqi", "French") counts as a mention of its country.
 */

const COUNTRIES = `Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|
Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bhutan|Bolivia|Bosnia|Bosnia and Herzegovina|
Botswana|Brazil|Brunei|Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Cape Verde|Central African Republic|
Chad|Chile|China|Colombia|Comoros|Congo|Costa Rica|Croatia|Cuba|Cyprus|Czech Republic|Czechia|Denmark|Djibouti|
Dominica|Dominican Republic|East Timor|Ecuador|Egypt|El Salvador|Equatorial Guinea|Eritrea|Estonia|Eswatini|Ethiopia|
Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Greece|Grenada|Guatemala|Guinea|Guinea-Bissau|Guyana|Haiti|
Honduras|Hungary|Iceland|India|Indonesia|Iran|Iraq|Ireland|Israel|Italy|Ivory Coast|Jamaica|Japan|Jordan|Kazakhstan|
Kenya|Kiribati|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|
Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Mauritania|Mauritius|Mexico|Micronesia|Moldova|Monaco|Mongolia|
Montenegro|Morocco|Mozambique|Myanmar|Burma|Namibia|Nauru|Nepal|Netherlands|New Zealand|Nicaragua|Niger|Nigeria|
North Korea|North Macedonia|Macedonia|Norway|Oman|Pakistan|Palau|Palestine|Panama|Papua New Guinea|Paraguay|Peru|
Philippines|Poland|Portugal|Qatar|Romania|Russia|Rwanda|Samoa|San Marino|Saudi Arabia|Senegal|Serbia|Seychelles|
Sierra Leone|Singapore|Slovakia|Slovenia|Solomon Islands|Somalia|South Africa|South Korea|South Sudan|Spain|Sri Lanka|
Sudan|Suriname|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|Thailand|Togo|Tonga|Trinidad and Tobago|Tunisia|
Turkey|Turkmenistan|Tuvalu|Uganda|Ukraine|United Arab Emirates|United Kingdom|United States|Uruguay|Uzbekistan|
Vanuatu|Vatican|Venezuela|Vietnam|Yemen|Zambia|Zimbabwe|England|Scotland|Wales|Northern Ireland|Britain|Great Britain|
America|Greenland|Puerto Rico|Hong Kong|Macau|Tibet|Chechnya|Kashmir|Kurdistan|Gaza|Gaza Strip|West Bank|Darfur|Crimea|
Yugoslavia|Soviet Union|USSR|Czechoslovakia|Zaire|East Germany|West Germany|Rhodesia|Serbia and Montenegro`;

const REGIONS = `Africa|Asia|Europe|North America|South America|Latin America|Central America|Middle East|Mideast|
Gulf|Persian Gulf|Balkans|Caribbean|Scandinavia|Siberia|Antarctica|Arctic|Pacific|Atlantic|Mediterranean|
Southeast Asia|East Asia|Central Asia|South Asia|Eastern Europe|Western Europe|Horn of Africa|Sahara|Sahel|
Gulf Coast|Midwest|New England|Silicon Valley|Wall Street`;

const US_STATES = `Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Hawaii|Idaho|
Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi|
Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|
Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|
Washington|West Virginia|Wisconsin|Wyoming`;

const CITIES = `London|Paris|Berlin|Madrid|Rome|Moscow|Kiev|Kyiv|Warsaw|Vienna|Prague|Budapest|Brussels|Amsterdam|
Geneva|Zurich|Stockholm|Oslo|Copenhagen|Helsinki|Dublin|Lisbon|Athens|Istanbul|Ankara|Belgrade|Bucharest|Sofia|
Minsk|Tbilisi|Baku|Yerevan|Tehran|Baghdad|Basra|Mosul|Fallujah|Najaf|Kirkuk|Damascus|Aleppo|Beirut|Amman|
Jerusalem|Tel Aviv|Ramallah|Cairo|Alexandria|Riyadh|Jeddah|Mecca|Dubai|Abu Dhabi|Doha|Kuwait City|Muscat|Sanaa|
Kabul|Kandahar|Islamabad|Karachi|Lahore|New Delhi|Delhi|Mumbai|Bombay|Kolkata|Calcutta|Chennai|Bangalore|Dhaka|
Colombo|Kathmandu|Beijing|Shanghai|Hong Kong|Guangzhou|Shenzhen|Taipei|Tokyo|Osaka|Seoul|Pyongyang|Manila|
Jakarta|Bangkok|Hanoi|Ho Chi Minh City|Kuala Lumpur|Singapore|Yangon|Rangoon|Sydney|Melbourne|Canberra|Auckland|
Nairobi|Lagos|Abuja|Johannesburg|Cape Town|Pretoria|Addis Ababa|Khartoum|Mogadishu|Kinshasa|Harare|Kampala|Kigali|
Algiers|Tunis|Tripoli|Rabat|Casablanca|Dakar|Accra|Abidjan|Mexico City|Havana|Bogota|Caracas|Lima|Santiago|
Buenos Aires|Sao Paulo|Rio de Janeiro|Brasilia|Montevideo|Quito|La Paz|Toronto|Montreal|Vancouver|Ottawa|
Washington|New York|New York City|Los Angeles|Chicago|Houston|Dallas|Boston|Philadelphia|Atlanta|Miami|Seattle|
San Francisco|Detroit|Denver|Phoenix|Las Vegas|New Orleans|Baltimore|Pittsburgh|Cleveland|Minneapolis|St. Louis|
San Diego|Portland|Brooklyn|Manhattan|Frankfurt|Munich|Hamburg|Milan|Naples|Barcelona|Marseille|Lyon|Manchester|
Liverpool|Birmingham|Glasgow|Edinburgh|Belfast|The Hague|Strasbourg|Luxembourg|Monaco|Vatican City`;

// National capitals not already listed above.
const CAPITALS = `Tirana|Andorra la Vella|Luanda|Nassau|Manama|Bridgetown|Belmopan|Porto-Novo|Thimphu|Sucre|
Sarajevo|Gaborone|Bandar Seri Begawan|Ouagadougou|Gitega|Bujumbura|Phnom Penh|Yaounde|Praia|Bangui|N'Djamena|
Moroni|Brazzaville|San Jose|Zagreb|Nicosia|Roseau|Santo Domingo|Dili|San Salvador|Malabo|Asmara|Tallinn|Mbabane|
Suva|Libreville|Banjul|Guatemala City|Conakry|Bissau|Georgetown|Port-au-Prince|Tegucigalpa|Reykjavik|
Yamoussoukro|Kingston|Astana|Almaty|Tarawa|Pristina|Bishkek|Vientiane|Riga|Maseru|Monrovia|Vaduz|Vilnius|
Antananarivo|Lilongwe|Male|Bamako|Valletta|Nouakchott|Port Louis|Chisinau|Ulaanbaatar|Podgorica|Maputo|
Naypyidaw|Windhoek|Wellington|Managua|Niamey|Skopje|Panama City|Port Moresby|Asuncion|Apia|Victoria|Freetown|
Bratislava|Ljubljana|Honiara|Juba|Paramaribo|Bern|Berne|Dushanbe|Dodoma|Dar es Salaam|Lome|Port of Spain|
Ashgabat|Tashkent|Port Vila|Lusaka|Benghazi|Homs|Hama|Idlib|Raqqa|Deir ez-Zor|Latakia|Tartus|Odessa|Kharkiv|
Donetsk|Sevastopol|St Petersburg|Saint Petersburg|Vladivostok|Novosibirsk|Yekaterinburg|Kazan|Grozny`;

const DEMONYMS: Record<string, string> = {
  afghan: 'Afghanistan',
  american: 'United States',
  argentine: 'Argentina',
  australian: 'Australia',
  austrian: 'Austria',
  belgian: 'Belgium',
  brazilian: 'Brazil',
  british: 'United Kingdom',
  canadian: 'Canada',
  chinese: 'China',
  colombian: 'Colombia',
  cuban: 'Cuba',
  czech: 'Czech Republic',
  danish: 'Denmark',
  dutch: 'Netherlands',
  egyptian: 'Egypt',
  ethiopian: 'Ethiopia',
  filipino: 'Philippines',
  finnish: 'Finland',
  french: 'France',
  german: 'Germany',
  greek: 'Greece',
  haitian: 'Haiti',
  hungarian: 'Hungary',
  indian: 'India',
  indonesian: 'Indonesia',
  iranian: 'Iran',
  iraqi: 'Iraq',
  irish: 'Ireland',
  israeli: 'Israel',
  italian: 'Italy',
  japanese: 'Japan',
  jordanian: 'Jordan',
  kenyan: 'Kenya',
  korean: 'Korea',
  kuwaiti: 'Kuwait',
  lebanese: 'Lebanon',
  libyan: 'Libya',
  mexican: 'Mexico',
  moroccan: 'Morocco',
  nigerian: 'Nigeria',
  norwegian: 'Norway',
  pakistani: 'Pakistan',
  palestinian: 'Palestine',
  peruvian: 'Peru',
  polish: 'Poland',
  portuguese: 'Portugal',
  russian: 'Russia',
  rwandan: 'Rwanda',
  saudi: 'Saudi Arabia',
  scottish: 'Scotland',
  serbian: 'Serbia',
  somali: 'Somalia',
  spanish: 'Spain',
  sudanese: 'Sudan',
  swedish: 'Sweden',
  swiss: 'Switzerland',
  syrian: 'Syria',
  taiwanese: 'Taiwan',
  thai: 'Thailand',
  turkish: 'Turkey',
  ugandan: 'Uganda',
  ukrainian: 'Ukraine',
  venezuelan: 'Venezuela',
  vietnamese: 'Vietnam',
  yemeni: 'Yemen',
  zimbabwean: 'Zimbabwe',
};

function names(list: string): string[] {
  return list
    .split('|')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Every known place name, lower-cased. */
export const PLACE_NAMES: ReadonlySet<string> = new Set(
  [COUNTRIES, REGIONS, US_STATES, CITIES, CAPITALS].flatMap(names).map((n) => n.toLowerCase()),
);

/** The country a demonym refers to ("iraqi" -> "Iraq"), keyed in lower case. */
export const DEMONYM_COUNTRY: ReadonlyMap<string, string> = new Map(
  Object.entries(DEMONYMS).flatMap(
    ([demonym, country]) =>
      [
        [demonym, country],
        [`${demonym}s`, country],
      ] as const,
  ),
);
