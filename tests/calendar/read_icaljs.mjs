// Reads .ics files with Mozilla's ical.js (Thunderbird's parser) and prints, as JSON, each
// event's UID, start and end (Unix seconds), summary, transparency and status.
// Usage: node read_icaljs.mjs NODE_MODULES_DIR FILE...
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import path from "node:path";

const [modules, ...files] = process.argv.slice(2);
const { default: ICAL } = await import(pathToFileURL(path.join(modules, "ical.js", "dist", "ical.js")).href);

const out = {};
for (const file of files) {
  const root = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  out[file] = {
    name: root.getFirstPropertyValue("x-wr-calname"),
    events: root.getAllSubcomponents("vevent").map((vevent) => {
      const event = new ICAL.Event(vevent);
      if (event.startDate.zone && event.startDate.zone.tzid === "floating") {
        throw new Error(`${file}: ${event.uid} starts at a floating time`);
      }
      return {
        uid: event.uid,
        start: event.startDate.toUnixTime(),
        end: event.endDate.toUnixTime(),
        summary: event.summary,
        transp: vevent.getFirstPropertyValue("transp"),
        status: vevent.getFirstPropertyValue("status"),
        sequence: event.sequence,
      };
    }),
  };
}
process.stdout.write(JSON.stringify(out));
