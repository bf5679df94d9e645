// News-shaped stories for the answer-type, subject and confidence tests: a results round-up
// that reports two matches, a road closure with its cause, an evacuation with a head count.
// Written for these tests in the shape wire copy takes; the people and events are invented
// or generic, so no test leans on any evaluation set.
import { makeStory } from './ask-stories.ts';

export const TENNIS = makeStory('tennis', 'Serena Williams eases into the last 16 at Wimbledon', [
  'Serena Williams reached the fourth round at Wimbledon on Saturday with another straight-sets win on Centre Court.',
  "Williams, the defending champion, needed barely an hour to dispatch Russia's Maria Kirilenko 6-3 6-2.",
  'She will next meet Marion Bartoli, the 2007 runner-up, for a place in the quarter-finals.',
  "On Court One, top seed Caroline Wozniacki beat Australia's Jarmila Gajdosova in straight sets.",
  'Wozniacki could meet Maria Sharapova in the last eight.',
]);

export const ROAD = makeStory('road', 'A13 closed in both directions in Essex', [
  'The A13 was closed in both directions near Basildon on Tuesday morning.',
  'Essex Police said the road was shut because a lorry had overturned and spilled diesel across three lanes.',
  'Drivers were told to expect delays into the evening.',
]);

export const WATER = makeStory('water', 'Burst water main floods high street', [
  'A burst water main flooded the high street in Thornbury overnight, leaving shops without supply.',
  'The water main was repaired before dawn and supplies returned to most homes by morning.',
]);

export const TOWER = makeStory('tower', 'Residents evacuated from tower block after stairwell fire', [
  'Residents of the Lambert House tower block were evacuated from the building early on Sunday after smoke filled a stairwell.',
  'Fire crews said 140 residents were led out, and 12 were treated at the scene for smoke inhalation.',
  'The cause of the fire is being investigated.',
]);

// A walkout whose lead states the cause, and a consequence further down that says "since".
export const NURSES = makeStory('nurses', 'Nurses at Harbour Hospital walk out over pay', [
  'Nurses at Harbour Hospital in Leeds walked out on Monday in protest at a pay offer they said fell far below inflation.',
  'The Royal College of Nursing said about 1,100 staff had joined the strike, the first at the hospital in its history.',
  'Managers postponed 300 planned operations, since most theatre nurses were on the picket line.',
  'Patients were asked to attend the emergency department only with life-threatening conditions.',
]);

export const NEWS_STORIES = [TENNIS, ROAD, WATER, TOWER, NURSES];
