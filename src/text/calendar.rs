//! Calendar words, lower case, as every stage reads them: month and
//! weekday names and their abbreviations (a date line in `article`, a
//! date beside a number in `figures`).

/// Month names and their abbreviations, without "may": in running text
/// "may" is the verb far more often than the month, so a reader that takes
/// it for a month adds it itself.
pub const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
];

/// The days of the week.
pub const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Abbreviations of the days of the week.
pub const WEEKDAY_ABBREVIATIONS: &[&str] = &[
    "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
];
