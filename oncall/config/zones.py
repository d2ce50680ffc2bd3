"""What people write for a timezone instead of the place's IANA name, and what to suggest.

Two kinds of mistake:

* a name that is no zone at all: another letter case (``america/new_york``), a Windows zone name
  (``Eastern Standard Time``, from the Unicode CLDR's windowsZones mapping) or an abbreviation
  (``BST``, ``PST``: ambiguous, so the common meaning is suggested and the others named);
* a name that works but names no place (``legacy-zone``): a fixed offset (``EST``, ``Etc/GMT+5``,
  ``GMT``) that never moves to summer time while the place it stands for does, or an old alias
  (``US/Eastern``, ``Asia/Calcutta``) that tzdata keeps only for backward compatibility.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

from oncall.times import TimeValueError, zone

# Windows zone names and the IANA zone of each (CLDR windowsZones, territory "001").
WINDOWS: dict[str, str] = {
    "UTC-11": "Pacific/Pago_Pago",
    "Aleutian Standard Time": "America/Adak",
    "Hawaiian Standard Time": "Pacific/Honolulu",
    "Marquesas Standard Time": "Pacific/Marquesas",
    "Alaskan Standard Time": "America/Anchorage",
    "UTC-09": "Pacific/Gambier",
    "Pacific Standard Time (Mexico)": "America/Tijuana",
    "UTC-08": "Pacific/Pitcairn",
    "Pacific Standard Time": "America/Los_Angeles",
    "US Mountain Standard Time": "America/Phoenix",
    "Mountain Standard Time (Mexico)": "America/Mazatlan",
    "Mountain Standard Time": "America/Denver",
    "Yukon Standard Time": "America/Whitehorse",
    "Central America Standard Time": "America/Guatemala",
    "Central Standard Time": "America/Chicago",
    "Easter Island Standard Time": "Pacific/Easter",
    "Central Standard Time (Mexico)": "America/Mexico_City",
    "Canada Central Standard Time": "America/Regina",
    "SA Pacific Standard Time": "America/Bogota",
    "Eastern Standard Time (Mexico)": "America/Cancun",
    "Eastern Standard Time": "America/New_York",
    "Haiti Standard Time": "America/Port-au-Prince",
    "Cuba Standard Time": "America/Havana",
    "US Eastern Standard Time": "America/Indiana/Indianapolis",
    "Turks And Caicos Standard Time": "America/Grand_Turk",
    "Paraguay Standard Time": "America/Asuncion",
    "Atlantic Standard Time": "America/Halifax",
    "Venezuela Standard Time": "America/Caracas",
    "Central Brazilian Standard Time": "America/Cuiaba",
    "SA Western Standard Time": "America/La_Paz",
    "Pacific SA Standard Time": "America/Santiago",
    "Newfoundland Standard Time": "America/St_Johns",
    "Tocantins Standard Time": "America/Araguaina",
    "E. South America Standard Time": "America/Sao_Paulo",
    "SA Eastern Standard Time": "America/Cayenne",
    "Argentina Standard Time": "America/Argentina/Buenos_Aires",
    "Greenland Standard Time": "America/Nuuk",
    "Montevideo Standard Time": "America/Montevideo",
    "Magallanes Standard Time": "America/Punta_Arenas",
    "Saint Pierre Standard Time": "America/Miquelon",
    "Bahia Standard Time": "America/Bahia",
    "UTC-02": "America/Noronha",
    "Azores Standard Time": "Atlantic/Azores",
    "Cape Verde Standard Time": "Atlantic/Cape_Verde",
    "UTC": "UTC",
    "GMT Standard Time": "Europe/London",
    "Greenwich Standard Time": "Atlantic/Reykjavik",
    "Sao Tome Standard Time": "Africa/Sao_Tome",
    "Morocco Standard Time": "Africa/Casablanca",
    "W. Europe Standard Time": "Europe/Berlin",
    "Central Europe Standard Time": "Europe/Budapest",
    "Romance Standard Time": "Europe/Paris",
    "Central European Standard Time": "Europe/Warsaw",
    "W. Central Africa Standard Time": "Africa/Lagos",
    "Jordan Standard Time": "Asia/Amman",
    "GTB Standard Time": "Europe/Bucharest",
    "Middle East Standard Time": "Asia/Beirut",
    "Egypt Standard Time": "Africa/Cairo",
    "E. Europe Standard Time": "Europe/Chisinau",
    "Syria Standard Time": "Asia/Damascus",
    "West Bank Standard Time": "Asia/Hebron",
    "South Africa Standard Time": "Africa/Johannesburg",
    "FLE Standard Time": "Europe/Kyiv",
    "Israel Standard Time": "Asia/Jerusalem",
    "South Sudan Standard Time": "Africa/Juba",
    "Kaliningrad Standard Time": "Europe/Kaliningrad",
    "Sudan Standard Time": "Africa/Khartoum",
    "Libya Standard Time": "Africa/Tripoli",
    "Namibia Standard Time": "Africa/Windhoek",
    "Arabic Standard Time": "Asia/Baghdad",
    "Turkey Standard Time": "Europe/Istanbul",
    "Arab Standard Time": "Asia/Riyadh",
    "Belarus Standard Time": "Europe/Minsk",
    "Russian Standard Time": "Europe/Moscow",
    "E. Africa Standard Time": "Africa/Nairobi",
    "Volgograd Standard Time": "Europe/Volgograd",
    "Iran Standard Time": "Asia/Tehran",
    "Arabian Standard Time": "Asia/Dubai",
    "Astrakhan Standard Time": "Europe/Astrakhan",
    "Azerbaijan Standard Time": "Asia/Baku",
    "Russia Time Zone 3": "Europe/Samara",
    "Mauritius Standard Time": "Indian/Mauritius",
    "Saratov Standard Time": "Europe/Saratov",
    "Georgian Standard Time": "Asia/Tbilisi",
    "Caucasus Standard Time": "Asia/Yerevan",
    "Afghanistan Standard Time": "Asia/Kabul",
    "West Asia Standard Time": "Asia/Tashkent",
    "Ekaterinburg Standard Time": "Asia/Yekaterinburg",
    "Pakistan Standard Time": "Asia/Karachi",
    "Qyzylorda Standard Time": "Asia/Qyzylorda",
    "India Standard Time": "Asia/Kolkata",
    "Sri Lanka Standard Time": "Asia/Colombo",
    "Nepal Standard Time": "Asia/Kathmandu",
    "Central Asia Standard Time": "Asia/Bishkek",
    "Bangladesh Standard Time": "Asia/Dhaka",
    "Omsk Standard Time": "Asia/Omsk",
    "Myanmar Standard Time": "Asia/Yangon",
    "SE Asia Standard Time": "Asia/Bangkok",
    "Altai Standard Time": "Asia/Barnaul",
    "W. Mongolia Standard Time": "Asia/Hovd",
    "North Asia Standard Time": "Asia/Krasnoyarsk",
    "N. Central Asia Standard Time": "Asia/Novosibirsk",
    "Tomsk Standard Time": "Asia/Tomsk",
    "China Standard Time": "Asia/Shanghai",
    "North Asia East Standard Time": "Asia/Irkutsk",
    "Singapore Standard Time": "Asia/Singapore",
    "W. Australia Standard Time": "Australia/Perth",
    "Taipei Standard Time": "Asia/Taipei",
    "Ulaanbaatar Standard Time": "Asia/Ulaanbaatar",
    "Aus Central W. Standard Time": "Australia/Eucla",
    "Transbaikal Standard Time": "Asia/Chita",
    "Tokyo Standard Time": "Asia/Tokyo",
    "North Korea Standard Time": "Asia/Pyongyang",
    "Korea Standard Time": "Asia/Seoul",
    "Yakutsk Standard Time": "Asia/Yakutsk",
    "Cen. Australia Standard Time": "Australia/Adelaide",
    "AUS Central Standard Time": "Australia/Darwin",
    "E. Australia Standard Time": "Australia/Brisbane",
    "AUS Eastern Standard Time": "Australia/Sydney",
    "West Pacific Standard Time": "Pacific/Port_Moresby",
    "Tasmania Standard Time": "Australia/Hobart",
    "Vladivostok Standard Time": "Asia/Vladivostok",
    "Lord Howe Standard Time": "Australia/Lord_Howe",
    "Bougainville Standard Time": "Pacific/Bougainville",
    "Russia Time Zone 10": "Asia/Srednekolymsk",
    "Magadan Standard Time": "Asia/Magadan",
    "Norfolk Standard Time": "Pacific/Norfolk",
    "Sakhalin Standard Time": "Asia/Sakhalin",
    "Central Pacific Standard Time": "Pacific/Guadalcanal",
    "Russia Time Zone 11": "Asia/Kamchatka",
    "New Zealand Standard Time": "Pacific/Auckland",
    "UTC+12": "Pacific/Tarawa",
    "Fiji Standard Time": "Pacific/Fiji",
    "Chatham Islands Standard Time": "Pacific/Chatham",
    "UTC+13": "Pacific/Fakaofo",
    "Tonga Standard Time": "Pacific/Tongatapu",
    "Samoa Standard Time": "Pacific/Apia",
    "Line Islands Standard Time": "Pacific/Kiritimati",
}

# Abbreviations that are no zone: the common meaning first, then the others it is used for.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "BST": ("Europe/London", "Asia/Dhaka"),
    "IST": ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"),
    "CST": ("America/Chicago", "Asia/Shanghai", "America/Havana"),
    "AST": ("America/Halifax", "Asia/Riyadh"),
    "GST": ("Asia/Dubai", "Atlantic/South_Georgia"),
    "ET": ("America/New_York",), "EDT": ("America/New_York",),
    "CT": ("America/Chicago",), "CDT": ("America/Chicago",),
    "MT": ("America/Denver",), "MDT": ("America/Denver",),
    "PT": ("America/Los_Angeles",), "PST": ("America/Los_Angeles",), "PDT": ("America/Los_Angeles",),
    "AKST": ("America/Anchorage",), "AKDT": ("America/Anchorage",),
    "ADT": ("America/Halifax",), "NST": ("America/St_Johns",), "NDT": ("America/St_Johns",),
    "BRT": ("America/Sao_Paulo",), "ART": ("America/Argentina/Buenos_Aires",),
    "CEST": ("Europe/Berlin",), "EEST": ("Europe/Athens",), "WEST": ("Europe/Lisbon",),
    "MSK": ("Europe/Moscow",), "SAST": ("Africa/Johannesburg",), "WAT": ("Africa/Lagos",),
    "CAT": ("Africa/Maputo",), "EAT": ("Africa/Nairobi",), "PKT": ("Asia/Karachi",),
    "JST": ("Asia/Tokyo",), "KST": ("Asia/Seoul",), "HKT": ("Asia/Hong_Kong",), "SGT": ("Asia/Singapore",),
    "PHT": ("Asia/Manila",), "WIB": ("Asia/Jakarta",),
    "AEST": ("Australia/Sydney",), "AEDT": ("Australia/Sydney",), "ACST": ("Australia/Adelaide",),
    "ACDT": ("Australia/Adelaide",), "AWST": ("Australia/Perth",),
    "NZST": ("Pacific/Auckland",), "NZDT": ("Pacific/Auckland",),
}

# Zones that are one fixed offset all year, and the place each is usually written for.
_FIXED: dict[str, str | None] = {
    "EST": "America/New_York", "MST": "America/Denver", "HST": "Pacific/Honolulu",
    "GMT": "Europe/London", "Etc/GMT": "Europe/London", "GMT0": "Europe/London", "GMT+0": "Europe/London",
    "GMT-0": "Europe/London", "Greenwich": "Europe/London", "Etc/GMT0": "Europe/London",
    "Etc/GMT+0": "Europe/London", "Etc/GMT-0": "Europe/London", "Etc/Greenwich": "Europe/London",
}
# The place usually meant by a standard offset in hours (for Etc/GMT±N).
_PLACE_BY_OFFSET: dict[int, str] = {
    -11: "Pacific/Pago_Pago", -10: "Pacific/Honolulu", -9: "America/Anchorage", -8: "America/Los_Angeles",
    -7: "America/Denver", -6: "America/Chicago", -5: "America/New_York", -4: "America/Halifax",
    -3: "America/Sao_Paulo", -2: "America/Noronha", -1: "Atlantic/Azores", 1: "Europe/Paris", 2: "Europe/Athens",
    3: "Europe/Moscow", 4: "Asia/Dubai", 5: "Asia/Karachi", 6: "Asia/Dhaka", 7: "Asia/Bangkok",
    8: "Asia/Singapore", 9: "Asia/Tokyo", 10: "Australia/Sydney", 11: "Pacific/Noumea", 12: "Pacific/Auckland",
    13: "Pacific/Tongatapu", 14: "Pacific/Kiritimati",
}

# Old names tzdata keeps for backward compatibility, and the name of the place today.
ALIASES: dict[str, str] = {
    "UCT": "UTC", "Etc/UCT": "UTC", "Universal": "UTC", "Etc/Universal": "UTC", "Zulu": "UTC", "Etc/Zulu": "UTC",
    "EST5EDT": "America/New_York", "CST6CDT": "America/Chicago", "MST7MDT": "America/Denver",
    "PST8PDT": "America/Los_Angeles", "CET": "Europe/Paris", "MET": "Europe/Paris", "EET": "Europe/Athens",
    "WET": "Europe/Lisbon",
    "US/Eastern": "America/New_York", "US/Central": "America/Chicago", "US/Mountain": "America/Denver",
    "US/Pacific": "America/Los_Angeles", "US/Alaska": "America/Anchorage", "US/Aleutian": "America/Adak",
    "US/Arizona": "America/Phoenix", "US/Hawaii": "Pacific/Honolulu", "US/East-Indiana": "America/Indiana/Indianapolis",
    "US/Indiana-Starke": "America/Indiana/Knox", "US/Michigan": "America/Detroit", "US/Samoa": "Pacific/Pago_Pago",
    "Canada/Atlantic": "America/Halifax", "Canada/Central": "America/Winnipeg", "Canada/Eastern": "America/Toronto",
    "Canada/Mountain": "America/Edmonton", "Canada/Newfoundland": "America/St_Johns",
    "Canada/Pacific": "America/Vancouver", "Canada/Saskatchewan": "America/Regina", "Canada/Yukon": "America/Whitehorse",
    "Australia/ACT": "Australia/Sydney", "Australia/Canberra": "Australia/Sydney", "Australia/NSW": "Australia/Sydney",
    "Australia/LHI": "Australia/Lord_Howe", "Australia/North": "Australia/Darwin",
    "Australia/Queensland": "Australia/Brisbane", "Australia/South": "Australia/Adelaide",
    "Australia/Tasmania": "Australia/Hobart", "Australia/Currie": "Australia/Hobart",
    "Australia/Victoria": "Australia/Melbourne", "Australia/West": "Australia/Perth",
    "Australia/Yancowinna": "Australia/Broken_Hill",
    "Brazil/Acre": "America/Rio_Branco", "Brazil/DeNoronha": "America/Noronha", "Brazil/East": "America/Sao_Paulo",
    "Brazil/West": "America/Manaus", "Chile/Continental": "America/Santiago", "Chile/EasterIsland": "Pacific/Easter",
    "Mexico/BajaNorte": "America/Tijuana", "Mexico/BajaSur": "America/Mazatlan",
    "Mexico/General": "America/Mexico_City",
    "Cuba": "America/Havana", "Egypt": "Africa/Cairo", "Eire": "Europe/Dublin", "GB": "Europe/London",
    "GB-Eire": "Europe/London", "Hongkong": "Asia/Hong_Kong", "Iceland": "Atlantic/Reykjavik", "Iran": "Asia/Tehran",
    "Israel": "Asia/Jerusalem", "Jamaica": "America/Jamaica", "Japan": "Asia/Tokyo", "Kwajalein": "Pacific/Kwajalein",
    "Libya": "Africa/Tripoli", "NZ": "Pacific/Auckland", "NZ-CHAT": "Pacific/Chatham", "Navajo": "America/Denver",
    "PRC": "Asia/Shanghai", "Poland": "Europe/Warsaw", "Portugal": "Europe/Lisbon", "ROC": "Asia/Taipei",
    "ROK": "Asia/Seoul", "Singapore": "Asia/Singapore", "Turkey": "Europe/Istanbul", "W-SU": "Europe/Moscow",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires", "America/Catamarca": "America/Argentina/Catamarca",
    "America/Cordoba": "America/Argentina/Cordoba", "America/Jujuy": "America/Argentina/Jujuy",
    "America/Mendoza": "America/Argentina/Mendoza", "America/Rosario": "America/Argentina/Cordoba",
    "America/Argentina/ComodRivadavia": "America/Argentina/Catamarca",
    "America/Indianapolis": "America/Indiana/Indianapolis", "America/Fort_Wayne": "America/Indiana/Indianapolis",
    "America/Knox_IN": "America/Indiana/Knox", "America/Louisville": "America/Kentucky/Louisville",
    "America/Atka": "America/Adak", "America/Ensenada": "America/Tijuana", "America/Santa_Isabel": "America/Tijuana",
    "America/Montreal": "America/Toronto", "America/Nipigon": "America/Toronto", "America/Thunder_Bay": "America/Toronto",
    "America/Pangnirtung": "America/Iqaluit", "America/Porto_Acre": "America/Rio_Branco",
    "America/Rainy_River": "America/Winnipeg", "America/Shiprock": "America/Denver",
    "America/Yellowknife": "America/Edmonton", "America/Godthab": "America/Nuuk",
    "America/Coral_Harbour": "America/Atikokan", "America/Virgin": "America/St_Thomas",
    "Asia/Calcutta": "Asia/Kolkata", "Asia/Saigon": "Asia/Ho_Chi_Minh", "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Rangoon": "Asia/Yangon", "Asia/Dacca": "Asia/Dhaka", "Asia/Thimbu": "Asia/Thimphu",
    "Asia/Ulan_Bator": "Asia/Ulaanbaatar", "Asia/Choibalsan": "Asia/Ulaanbaatar", "Asia/Ashkhabad": "Asia/Ashgabat",
    "Asia/Macao": "Asia/Macau", "Asia/Ujung_Pandang": "Asia/Makassar", "Asia/Tel_Aviv": "Asia/Jerusalem",
    "Asia/Istanbul": "Europe/Istanbul", "Asia/Chongqing": "Asia/Shanghai", "Asia/Chungking": "Asia/Shanghai",
    "Asia/Harbin": "Asia/Shanghai", "Asia/Kashgar": "Asia/Urumqi",
    "Europe/Kiev": "Europe/Kyiv", "Europe/Uzhgorod": "Europe/Kyiv", "Europe/Zaporozhye": "Europe/Kyiv",
    "Europe/Belfast": "Europe/London", "Europe/Tiraspol": "Europe/Chisinau", "Europe/Nicosia": "Asia/Nicosia",
    "Atlantic/Faeroe": "Atlantic/Faroe", "Atlantic/Jan_Mayen": "Arctic/Longyearbyen",
    "Africa/Asmera": "Africa/Asmara", "Africa/Timbuktu": "Africa/Bamako", "Antarctica/South_Pole": "Antarctica/McMurdo",
    "Pacific/Samoa": "Pacific/Pago_Pago", "Pacific/Enderbury": "Pacific/Kanton", "Pacific/Johnston": "Pacific/Honolulu",
    "Pacific/Truk": "Pacific/Chuuk", "Pacific/Yap": "Pacific/Chuuk", "Pacific/Ponape": "Pacific/Pohnpei",
}

_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])\s*([0-9]{1,2})(?::?([0-9]{2}))?$", re.IGNORECASE)

# A zone's offsets today: sampled in a year far enough ahead that tzdata's current rules, not
# any past change, decide them (the core never asks the clock what "this year" is).
_RULES_YEAR = 2100


def unknown_hint(name: str) -> str | None:
    """For a name that is no zone: what it probably means, as a hint for the message
    (``did you mean 'America/New_York'? 'Eastern Standard Time' is a Windows zone name``), or None.
    A suggestion is always the zone of a place, never a fixed offset or an old alias."""
    import difflib  # only when a message needs it
    import zoneinfo

    text = name.strip()
    folded = text.casefold()
    known = zoneinfo.available_timezones()
    places = {n.casefold(): n for n in known if legacy_problem(n) is None}
    if folded in places:
        return f"did you mean {places[folded]!r}?"
    old = {n.casefold(): place for n, place in ALIASES.items()}
    if folded in old:
        return f"did you mean {old[folded]!r}?"
    windows = {n.casefold(): z for n, z in WINDOWS.items()}
    if folded in windows:
        return f"did you mean {windows[folded]!r}? {text!r} is a Windows zone name"
    meanings = ABBREVIATIONS.get(text.upper())
    if meanings:
        others = f", it also stands for {', '.join(meanings[1:])}" if meanings[1:] else ""
        return (f"did you mean {meanings[0]!r}? {text!r} is an abbreviation, and abbreviations are ambiguous: "
                f"that is its common meaning{others}")
    offset = _OFFSET.match(text)
    if offset:
        hours = int(offset.group(2)) * (-1 if offset.group(1) == "-" else 1)
        place = _PLACE_BY_OFFSET.get(hours) if not offset.group(3) or offset.group(3) == "00" else None
        example = f", e.g. {place!r}" if place else ""
        return f"a UTC offset is no zone: write the zone of the place, which keeps its summer time{example}"
    candidates = sorted(set(places.values()) | set(ALIASES))
    close = difflib.get_close_matches(text, candidates, n=1)
    if not close:
        return None
    return f"did you mean {ALIASES.get(close[0], close[0])!r}?"


def legacy_problem(name: str) -> str | None:
    """For a zone that works but names no place (a fixed offset, an old alias): what is wrong and
    what to write instead, or None for a place's zone (and for UTC)."""
    if name in ALIASES:
        return f"{name!r} is an old alias that tzdata keeps for compatibility; write {ALIASES[name]} (the same clock)"
    place: str | None
    if name in _FIXED:
        place = _FIXED[name]
    elif name.startswith("Etc/GMT") and name[7:8] in "+-" and name[8:].isdigit():
        place = _PLACE_BY_OFFSET.get(-int(name[7:]))
    else:
        return None
    try:
        fixed = _offsets(name)[0]
    except TimeValueError:
        return None
    what = f"{name!r} is a fixed offset, {_utc(fixed)} all year"
    if name.startswith("Etc/GMT") and name[7:8] in "+-" and fixed:
        what += " (Etc/GMT names count the other way)"
    if place is None:
        return f"{what}, not a place; write the zone of the place the times are meant for, e.g. Europe/Berlin"
    standard, summer = _offsets(place)
    if summer == standard:
        return f"{what}: it has no summer time, and neither has {place} today; write {place}, which names the place"
    label = _summer_name(place)
    instead = f"{place}, or UTC for a clock that never changes" if fixed == 0 else place
    return (f"{what}: it has no summer time, while {place} moves to {label} ({_utc(summer)}) in summer, so times "
            f"read in {name} are off by {_hours(summer - standard)} then; write {instead}")


@lru_cache(maxsize=64)
def _months(name: str) -> tuple[tuple[int, str], ...]:
    """(UTC offset in seconds, abbreviation) of a zone in the middle of each month, under its
    current rules."""
    tz = zone(name)
    out = []
    for month in range(1, 13):
        moment = datetime(_RULES_YEAR, month, 15, tzinfo=UTC).astimezone(tz)
        offset = moment.utcoffset()
        out.append((int(offset.total_seconds()) if offset is not None else 0, moment.tzname() or ""))
    return tuple(out)


def _offsets(name: str) -> tuple[int, int]:
    """(standard, summer) UTC offsets of a zone under its current rules, in seconds."""
    offsets = [offset for offset, _ in _months(name)]
    return min(offsets), max(offsets)


def _summer_name(place: str) -> str:
    summer = _offsets(place)[1]
    return next((label for offset, label in _months(place) if offset == summer and label), "summer time")


def _utc(offset: int) -> str:
    sign = "+" if offset >= 0 else "-"
    hours, minutes = divmod(abs(offset) // 60, 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def _hours(seconds: int) -> str:
    minutes = abs(seconds) // 60
    if minutes % 60:
        return f"{minutes} minutes"
    return "an hour" if minutes == 60 else f"{minutes // 60} hours"
