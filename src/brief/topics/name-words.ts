/**
 * Word lists the name finder reads, written from how names work in English news in general:
 * titles and roles before a person, words that make a run an organization or a place, the
 * particles inside Arabic, Dutch, German and Romance names, and the ordinary words that are
 * capitalized only because they open a sentence or sit in a headline.
 */

const list = (text: string): Set<string> => new Set(text.split(/\s+/).filter(Boolean));

/** Titles, roles and honorifics: the word before a name that makes it a person. */
export const TITLES = list(`mr mrs ms miss mister madam dr prof professor sir dame lord lady rev reverend
  president vice-president vice prime minister premier chancellor secretary sen senator rep representative
  congressman congresswoman gov governor mayor gen general lt col colonel maj major capt captain adm admiral
  sgt sergeant cmdr commander brig brigadier marshal king queen prince princess emperor empress pope cardinal
  bishop archbishop father sister brother sheikh emir sultan ayatollah imam mullah rabbi pastor judge justice
  coach manager striker midfielder defender goalkeeper forward batsman bowler skipper chairman chairwoman
  chairperson ceo cfo founder chief executive director ambassador envoy spokesman spokeswoman spokesperson
  commissioner inspector detective officer agent mp mep deputy aide adviser advisor analyst economist
  correspondent reporter editor author actor actress singer player champion president-elect leader
  lawyer attorney prosecutor dictator rebel opposition candidate nominee speaker crown count duke baron`);

/** Words that qualify a following title ("Foreign Minister", "former Gen.") without being names. */
export const TITLE_QUALIFIERS =
  list(`foreign defense defence finance interior deputy acting former interim chief
  senior vice state home health trade justice energy economy economic labor labour education transport
  attorney first grand assistant associate executive managing general supreme top junior permanent
  opposition party team club head national`);

/** A name ending in one of these is an organization ("Syrian Democratic Forces", "Acme Inc"). */
export const ORG_WORDS =
  list(`inc corp corporation co ltd llc plc ag sa nv bv gmbh spa group bank banks ministry
  party university college institute council committee agency association foundation commission department
  court airlines airline airways motors technologies systems holdings fund organization organisation union
  federation league club times post journal news network senate congress parliament assembly army navy
  police church hospital school office board authority service reserve exchange company partners capital
  industries nations forces force guard guards brigade brigades front movement alliance coalition
  pharmaceuticals labs laboratories communications media studios records press agency bureau cabinet
  government administration tribunal corps command unit fc cf afc united rovers wanderers athletic
  trust society institution centre center academy consortium conglomerate mission observatory commission
  telecom energy petroleum oil electric steel chemicals insurance securities investments bancorp rangers
  services financial consolidated bros brothers resources mining radio television tv newspaper daily`);

/** A name opening with one of these and running on ("Bank of England") is an organization. */
export const ORG_HEADS = list(
  'bank ministry university department bureau house church office council court commission institute',
);

/** A name ending in one of these is a place ("Hmeimim Air Base", "Red Sea", "Gaza Strip"). */
export const PLACE_WORDS =
  list(`city town village county province state region district island islands isles river
  sea ocean lake bay gulf strait straits mountains mountain mount mt valley peninsula desert coast
  airport base port harbour harbor square street avenue road bridge canal border heights plateau park prison stadium
  territory territories republic kingdom emirate oblast`);

/** Words ending a run that names an event or a thing rather than a person ("World Cup"). */
export const EVENT_WORDS =
  list(`cup championship championships open games olympics olympic tournament trophy prize
  award awards festival war conference summit series grand prix marathon derby classic act treaty
  accord plan day week year index`);

/**
 * Particles inside names: "Ahmad al-Sharaa", "Osama el-Baz", "Ludwig van Beethoven". Lower-case
 * ones joined by a hyphen are part of the next word; standing alone they link two capitals.
 */
export const PARTICLES = list(
  'al el ad ad- as ash at az bin ibn bint abu abd de da di du del della der den van von la le dos das ter ten zu y',
);

/** Linkers that join two capitalized words into one name ("Bank of England", "Trinidad and Tobago"). */
export const CONNECTORS = list('of for & de la del da di du van von der den bin ibn al el le y');

/** Calendar words: never a name on their own, nor at the edge of one. */
export const CALENDAR =
  list(`monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays
  thursdays fridays saturdays sundays mon tue tues wed thu thur thurs fri sat sun
  january february march april june july august september october november december
  jan feb mar apr jun jul aug sep sept oct nov dec`);

/**
 * Words that are never a name standing alone, though some may end one ("Theresa May"): the
 * months that are also words or surnames, time-zone abbreviations, and the words of
 * publication stamps, credits and captions ("PUBLISHED: 12:52 EST", "Daily Mail Reporter").
 */
export const NEVER_ALONE = list(`may march april june august
  est edt cst cdt mst mdt pst pdt gmt bst utc cet cest aest aedt ist
  published updated created posted modified byline reporter reporters correspondent pictured caption`);

/**
 * The words of a page's chrome: menus and navigation, sign-in and subscription prompts, cookie
 * banners and footers ("LATEST NEWS", "SIGN IN", "ACCEPT ALL COOKIES", "TERMS OF USE"). A phrase
 * in capitals made only of these (and ordinary words) labels the page, it names nothing.
 */
export const PAGE_CHROME = list(`latest breaking top stories story most read popular trending viewed
  shared home menu search sign log login logout register account profile settings manage preferences
  accept reject allow decline cookie cookies consent privacy policy policies terms conditions use
  contact about us careers jobs help faq feedback sitemap site map newsletter newsletters subscribe
  subscription subscriptions subscriber offer premium free trial donate support follow social media
  skip content back close open next previous prev page print email share comments related
  advertisement advertise advertising sponsored partner partners rights reserved copyright
  sections section topics edition editions world local national business sport sports opinion
  culture lifestyle entertainment weather tech technology science health travel video videos
  watch listen podcast podcasts live photos gallery galleries newsletter alerts notifications app
  apps download shop store classifieds obituaries puzzles games crosswords more all view see`);

/** Ordinary words that are capitalized only because they open a sentence, a line or a headline. */
export const COMMON =
  list(`a an the this that these those there here it its he she they we you i his her their our my
  me him them us your who whom whose which what when where why how
  in on at by for from with without after before during while into onto upon within across through
  but and or nor so yet if as also then than though although because since until unless once
  some many most more few several all both each every no not one two three four five six seven eight
  nine ten today yesterday tomorrow tonight morning afternoon evening night
  according however meanwhile still just even only despite under over about against among
  later earlier now last next first second third finally separately instead overall indeed already
  soon afterwards elsewhere together again recently currently previously perhaps maybe yes
  said says say asked told added shares stocks analysts investors people experts critics supporters
  officials police residents sources witnesses voters fans players teams men women boys girls
  news update updated breaking exclusive analysis opinion editorial photo photos video videos watch
  read more live featured related sponsored advertisement follow subscribe share comment comments
  total totals result results score scores standings table summary note notes source sources
  squad teams team attendance half-time halftime leading final group round played won lost drawn
  points goals scorers scorer pos pts change chg pct percent net price prices rank except above below per
  is are was were be been being has have had do does did would shall should can could might must
  there's it's don't can't won't isn't aren't wasn't weren't
  no yes ok please thanks thank welcome dear hello former ex everyone everybody someone anyone nobody others`);

/** Abbreviations after which a period does not end the sentence. */
export const ABBREVIATIONS = list(
  'mr mrs ms dr prof rev st sen rep gov gen lt col maj capt adm sgt cmdr brig jr sr inc corp co ltd mt ft vs no gov univ dept est',
);

/** Verbs of saying: a name right before or after one is most often a person ("Peskov said"). */
export const SAYING = list(
  'said says told added stated noted argued insisted warned declared announced explained wrote asked replied confirmed denied',
);

/**
 * Adjectives of nationality, region and faith, and their plurals: they describe, they are not
 * names a reader follows ("European markets", "Palestinians"). Demonyms of countries live in
 * places.ts, where they count for their country.
 */
export const DESCRIPTORS =
  list(`european africans african asian asians arab arabs arabic jewish jews jew islamic islamist
  islamists moslem moslems muslim muslims christian christians catholic catholics protestant protestants hindu
  hindus buddhist buddhists sunni sunnis shia shiite shiites western westerners eastern northern southern
  latin nordic baltic balkan caucasian slavic soviet communist communists socialist socialists marxist
  republican republicans democrat democrats conservative conservatives liberal liberals labour tory tories
  olympic anglo francophone anglophone pan scandinavian kurdish serb croat bosnian chechen tajik azeri
  armenian yugoslav briton britons
  european-wide international national federal`);

/** Words that end in these are adjectives made from a name ("Hong Kong-based", "Communist-led"). */
export const ADJECTIVE_SUFFIX =
  /-(?:based|led|listed|sponsored|born|owned|run|backed|made|style|era|controlled|funded|linked|bound)$/i;

/** Contractions ("We've", "I'm") are never names. */
export const CONTRACTION = /['’](?:ve|re|ll|d|m)$|n['’]t$/i;

/**
 * Words that open place and team names but not personal names: compass points, colours and
 * the adjectives of geography ("West Hartlepool", "Red Star", "Old Trafford", "San Diego").
 */
export const NOT_GIVEN_NAMES =
  list(`north south east west northern southern eastern western central upper lower old new
  real royal grand great red white blue black green golden silver st saint san santa los las fort port mount
  lake cape far near middle united national international federal republic general american british`);

/**
 * Common given names across the languages of world news, written from general knowledge: a
 * name opening with one is a person's, and one standing alone is most often a person too.
 */
export const GIVEN_NAMES =
  list(`aaron abdul abdullah abu adam adrian ahmad ahmed alan albert alberto alex alexander
  alexandre alexei ali alice alison amanda amy ana anatoly andrea andreas andrei andrew andrzej angela angelo ann
  anna anne anthony antoine antonio arnold arthur barbara barry ben benjamin bernard bill billy bob boris brad
  brendan brian bruce carl carlos carmen caroline catherine charles charlie chris christian christina christine
  christopher claire claude colin craig dan daniel danny dave david dean denis dennis derek diana diego dmitry
  dmitri dominique don donald doug douglas ed eddie edward elena elizabeth emily emma eric erik ernesto eva evan
  fatima felipe fernando francesco francis francisco frank franz fred frederick gary george georges gerald
  gerhard giovanni giuseppe glen gordon graham greg gregory hamid hans harold harry hassan heinz helen helmut
  henri henry hiroshi hugh hussein ian igor ibrahim ivan jack jacques james jan jane janet jason javier jean jeff
  jeffrey jennifer jerry jim jimmy joe johan john johnny jon jonathan jorge jose joseph juan julia julian julie
  jurgen karen karl kate katherine keith ken kenneth kevin khalid kim klaus kurt larry laura laurent lee leonid
  linda lisa louis luc lucas luis luigi magnus mahmoud manuel marc marco marcus margaret maria marie mario mark
  martin mary matthew maurice max michael michel miguel mike mikhail mohamed mohammad mohammed muhammad nancy
  natalia natalya neil nelson nicholas nick nicolas nikolai norman olga oliver omar oscar pablo patrick paul
  pedro peter philip philippe pierre rafael ralph ramon raymond richard rick robert roberto roger ronald rudolf
  ruth ryan salman sam samuel sandra sarah scott sean sergei sergio simon stefan stephen steve steven susan
  takeshi ted terry thomas tim timothy todd tom tony viktor vincent vladimir walter wayne william willie wolfgang
  yasser yevgeny yitzhak yoshiro yuri`);
