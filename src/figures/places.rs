//! Places as owners: the countries a news sentence names, by name,
//! demonym, capital or seat of government ("North Korean troops",
//! "Pyongyang sent", "the Kremlin said"), each normalised to one canonical
//! name so that a figure's `of = ["North Korea"]` matches them all. Names
//! not in the table (an invented country, a rebel group) are compared by
//! their stem: "Kestrian" is Kestria's.

/// Canonical name, then every other lower-case form that names it.
use std::collections::HashMap;
use std::sync::LazyLock;

const PLACES: &[(&str, &[&str])] = &[
    (
        "North Korea",
        &[
            "kim jong un",
            "kim jong-un",
            "north korean",
            "north koreans",
            "dprk",
            "pyongyang",
            "n. korea",
            "n korea",
        ],
    ),
    (
        "South Korea",
        &["south korean", "south koreans", "seoul", "rok", "s. korea"],
    ),
    (
        "Russia",
        &[
            "putin",
            "vladimir putin",
            "russian",
            "russians",
            "moscow",
            "kremlin",
            "russian federation",
        ],
    ),
    (
        "Ukraine",
        &[
            "zelensky",
            "zelenskyy",
            "ukrainian",
            "ukrainians",
            "kyiv",
            "kiev",
            "zelensky",
            "zelenskyy",
            "volodymyr zelensky",
        ],
    ),
    (
        "United States",
        &[
            "u.s.",
            "usa",
            "u.s.a.",
            "america",
            "american",
            "americans",
            "washington",
            "pentagon",
            "white house",
            "united states of america",
        ],
    ),
    (
        "China",
        &["xi jinping", "chinese", "beijing", "prc", "xi jinping"],
    ),
    ("Japan", &["japanese", "tokyo"]),
    ("Iran", &["iranian", "iranians", "tehran"]),
    (
        "Israel",
        &[
            "netanyahu",
            "israeli",
            "israelis",
            "jerusalem",
            "idf",
            "netanyahu",
        ],
    ),
    ("Gaza", &["gazan", "gazans"]),
    ("Palestine", &["palestinian", "palestinians"]),
    ("Lebanon", &["lebanese", "beirut"]),
    ("Syria", &["syrian", "syrians", "damascus"]),
    ("Iraq", &["iraqi", "iraqis", "baghdad"]),
    ("Yemen", &["yemeni", "yemenis", "sanaa"]),
    ("Saudi Arabia", &["saudi", "saudis", "riyadh"]),
    ("Turkey", &["turkish", "turks", "ankara", "türkiye"]),
    (
        "Belarus",
        &[
            "lukashenko",
            "belarusian",
            "belarusians",
            "minsk",
            "lukashenko",
        ],
    ),
    ("Poland", &["polish", "poles", "warsaw"]),
    ("Germany", &["german", "germans", "berlin"]),
    ("France", &["french", "paris", "elysee"]),
    (
        "United Kingdom",
        &[
            "uk",
            "u.k.",
            "britain",
            "great britain",
            "british",
            "london",
        ],
    ),
    ("Italy", &["italian", "italians", "rome"]),
    ("Spain", &["spanish", "madrid"]),
    ("Netherlands", &["dutch", "the hague", "amsterdam"]),
    ("Sweden", &["swedish", "swedes", "stockholm"]),
    ("Norway", &["norwegian", "norwegians", "oslo"]),
    ("Finland", &["finnish", "finns", "helsinki"]),
    ("Denmark", &["danish", "danes", "copenhagen"]),
    ("Canada", &["canadian", "canadians", "ottawa"]),
    ("Australia", &["australian", "australians", "canberra"]),
    ("India", &["indian", "indians", "new delhi", "delhi"]),
    ("Pakistan", &["pakistani", "pakistanis", "islamabad"]),
    ("Afghanistan", &["afghan", "afghans", "kabul"]),
    ("Taiwan", &["taiwanese", "taipei"]),
    (
        "Philippines",
        &["philippine", "filipino", "filipinos", "manila"],
    ),
    ("Vietnam", &["vietnamese", "hanoi"]),
    ("Myanmar", &["burmese", "burma", "naypyidaw"]),
    ("Sudan", &["sudanese", "khartoum"]),
    ("South Sudan", &["south sudanese", "juba"]),
    ("Ethiopia", &["ethiopian", "ethiopians", "addis ababa"]),
    ("Somalia", &["somali", "somalis", "mogadishu"]),
    ("Nigeria", &["nigerian", "nigerians", "abuja"]),
    ("Egypt", &["egyptian", "egyptians", "cairo"]),
    ("Libya", &["libyan", "libyans", "tripoli"]),
    ("Mali", &["malian", "malians", "bamako"]),
    ("Congo", &["congolese", "drc", "kinshasa"]),
    ("Mexico", &["mexican", "mexicans", "mexico city"]),
    ("Brazil", &["brazilian", "brazilians", "brasilia"]),
    ("Venezuela", &["venezuelan", "venezuelans", "caracas"]),
    ("Colombia", &["colombian", "colombians", "bogota"]),
    ("Greece", &["greek", "greeks", "athens"]),
    ("Hungary", &["hungarian", "budapest"]),
    ("Romania", &["romanian", "bucharest"]),
    ("Georgia", &["georgian", "georgians", "tbilisi"]),
    ("Armenia", &["armenian", "armenians", "yerevan"]),
    ("Azerbaijan", &["azerbaijani", "azeri", "baku"]),
    ("Belgium", &["belgian", "belgians"]),
    ("Austria", &["austrian", "austrians", "vienna"]),
    ("Switzerland", &["swiss", "bern"]),
    ("Portugal", &["portuguese", "lisbon"]),
    ("Ireland", &["irish", "dublin"]),
    ("Czech Republic", &["czech", "czechs", "czechia", "prague"]),
    ("Slovakia", &["slovak", "slovaks", "bratislava"]),
    ("Slovenia", &["slovenian", "ljubljana"]),
    ("Croatia", &["croatian", "croatians", "zagreb"]),
    ("Serbia", &["serbian", "serbians", "serbs", "belgrade"]),
    ("Bulgaria", &["bulgarian", "bulgarians", "sofia"]),
    ("Moldova", &["moldovan", "moldovans", "chisinau"]),
    ("Lithuania", &["lithuanian", "lithuanians", "vilnius"]),
    ("Latvia", &["latvian", "latvians", "riga"]),
    ("Estonia", &["estonian", "estonians", "tallinn"]),
    ("Chad", &["chadian", "chadians", "n'djamena"]),
    ("Niger", &["nigerien", "nigeriens", "niamey"]),
    ("Burkina Faso", &["burkinabe", "ouagadougou"]),
    ("Senegal", &["senegalese", "dakar"]),
    ("Kenya", &["kenyan", "kenyans", "nairobi"]),
    ("Uganda", &["ugandan", "ugandans", "kampala"]),
    ("Rwanda", &["rwandan", "rwandans", "kigali"]),
    ("Tanzania", &["tanzanian", "tanzanians"]),
    (
        "South Africa",
        &["south african", "south africans", "pretoria"],
    ),
    ("Morocco", &["moroccan", "moroccans", "rabat"]),
    ("Algeria", &["algerian", "algerians", "algiers"]),
    ("Tunisia", &["tunisian", "tunisians"]),
    ("Jordan", &["jordanian", "jordanians", "amman"]),
    ("Qatar", &["qatari", "qataris", "doha"]),
    (
        "United Arab Emirates",
        &["uae", "emirati", "emiratis", "abu dhabi"],
    ),
    ("Kuwait", &["kuwaiti", "kuwaitis"]),
    ("Bangladesh", &["bangladeshi", "bangladeshis", "dhaka"]),
    ("Sri Lanka", &["sri lankan", "sri lankans", "colombo"]),
    ("Nepal", &["nepali", "nepalese", "kathmandu"]),
    ("Indonesia", &["indonesian", "indonesians", "jakarta"]),
    (
        "Philippines",
        &["philippine", "filipino", "filipinos", "manila"],
    ),
    ("Thailand", &["thai", "thais", "bangkok"]),
    ("Malaysia", &["malaysian", "malaysians", "kuala lumpur"]),
    ("Cambodia", &["cambodian", "cambodians", "phnom penh"]),
    ("Kazakhstan", &["kazakh", "kazakhs", "astana"]),
    (
        "Argentina",
        &["argentine", "argentinian", "argentines", "buenos aires"],
    ),
    ("Chile", &["chilean", "chileans", "santiago"]),
    ("Peru", &["peruvian", "peruvians", "lima"]),
    ("Cuba", &["cuban", "cubans", "havana"]),
    ("Haiti", &["haitian", "haitians", "port-au-prince"]),
    (
        "New Zealand",
        &["new zealander", "new zealanders", "wellington"],
    ),
    ("Cyprus", &["cypriot", "cypriots", "nicosia"]),
    ("Ghana", &["ghanaian", "ghanaians", "accra"]),
    ("Cameroon", &["cameroonian", "cameroonians", "yaounde"]),
    ("Mozambique", &["mozambican", "mozambicans", "maputo"]),
    ("Eritrea", &["eritrean", "eritreans", "asmara"]),
    ("Hamas", &[]),
    ("Hezbollah", &[]),
    ("Houthis", &["houthi"]),
    ("NATO", &["nato", "alliance"]),
    ("European Union", &["eu", "e.u.", "brussels"]),
];

/// The canonical place a lower-case name stands for, if the table knows it.
pub(crate) fn canonical(lower: &str) -> Option<&'static str> {
    let lower = lower.strip_suffix("'s").unwrap_or(lower);
    let lower = lower.strip_suffix("’s").unwrap_or(lower);
    let lower = lower.strip_prefix("the ").unwrap_or(lower);
    PLACES
        .iter()
        .find(|(name, others)| name.eq_ignore_ascii_case(lower) || others.contains(&lower))
        .map(|(name, _)| *name)
}

/// Longest place name (canonical or other form) starting at byte `at` of the
/// lower-case `hay`, ending at a word boundary: (canonical, byte length).
pub(crate) fn place_at(hay: &str, at: usize) -> Option<(&'static str, usize)> {
    let rest = hay.get(at..)?;
    let key = rest.as_bytes().get(..2)?;
    let mut best: Option<(&'static str, usize)> = None;
    for (name, form) in INDEX.get(&[key[0], key[1]])? {
        if !rest.starts_with(form.as_str()) {
            continue;
        }
        let len = form.len();
        let boundary = rest[len..]
            .chars()
            .next()
            .is_none_or(|c| !c.is_alphanumeric());
        if boundary && best.is_none_or(|(_, l)| len > l) {
            best = Some((name, len));
        }
    }
    best
}

/// (canonical name, lower-case form) by the form's first two bytes.
type PlaceIndex = HashMap<[u8; 2], Vec<(&'static str, String)>>;

/// Every lower-case form of every place (its canonical name too), by its
/// first two bytes: what [`place_at`] compares at a position.
static INDEX: LazyLock<PlaceIndex> = LazyLock::new(|| {
    let mut index = PlaceIndex::new();
    for (name, others) in PLACES {
        let forms =
            std::iter::once(name.to_lowercase()).chain(others.iter().map(|o| o.to_string()));
        for form in forms {
            if let [a, b, ..] = *form.as_bytes() {
                index.entry([a, b]).or_default().push((name, form));
            }
        }
    }
    index
});

/// Folds a name for comparison: lower case, no leading "the", no
/// possessive, the table's canonical name where it knows one.
pub(crate) fn fold(name: &str) -> String {
    // "US" is the United States only in capitals: "us" is a pronoun, so
    // the table cannot hold it.
    if matches!(name.trim(), "US" | "US'" | "US's") {
        return "united states".to_string();
    }
    let lower = name.trim().to_lowercase();
    match canonical(&lower) {
        Some(place) => place.to_lowercase(),
        None => {
            let lower = lower.strip_prefix("the ").unwrap_or(&lower);
            let lower = lower.strip_suffix("'s").unwrap_or(lower);
            lower.strip_suffix("’s").unwrap_or(lower).to_string()
        }
    }
}

/// Whether two names stand for the same owner: equal once folded, or one a
/// demonym of the other ("Kestrian" and "Kestria", "Vardish" and "Vardia").
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (fold(a), fold(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    if a == b {
        return true;
    }
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    // "the North" in a story about North Korea.
    if !short.contains(' ')
        && long.starts_with(short.as_str())
        && long[short.len()..].starts_with(' ')
    {
        return true;
    }
    demonym_of(long, short) || demonym_of(short, long) || {
        // "Kestrian" / "Kestria" share a stem of all but the last letters.
        let stem = short.trim_end_matches(['a', 'e', 'i', 'y']);
        stem.len() >= 4
            && long.starts_with(stem)
            && matches!(
                &long[stem.len()..],
                "n" | "an" | "ian" | "ese" | "i" | "ish" | "ns" | "ans" | "ians"
            )
    }
}

/// Whether `demonym` is the regular demonym of `place`: place + n/an/ese/i/ish.
fn demonym_of(demonym: &str, place: &str) -> bool {
    demonym
        .strip_prefix(place)
        .is_some_and(|rest| matches!(rest, "n" | "an" | "ns" | "ans" | "ese" | "i" | "is" | "ish"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demonyms_capitals_and_seats_fold_to_one_name() {
        for (a, b) in [
            ("North Korean", "North Korea"),
            ("Pyongyang", "North Korea"),
            ("the Kremlin", "Russia"),
            ("Russia's", "Russia"),
            ("U.S.", "United States"),
            ("US", "United States"),
            ("Kestrian", "Kestria"),
            ("Kestria's", "Kestria"),
        ] {
            assert!(same(a, b), "{a} ~ {b}");
        }
        for (a, b) in [
            ("South Korea", "North Korea"),
            ("Russian", "Belarus"),
            ("Kest", "Kestria"),
        ] {
            assert!(!same(a, b), "{a} !~ {b}");
        }
    }

    #[test]
    fn place_at_takes_the_longest_name_at_a_word_boundary() {
        let hay = "north korean troops and south korea's army";
        assert_eq!(
            place_at(hay, 0),
            Some(("North Korea", "north korean".len()))
        );
        assert_eq!(
            place_at(hay, hay.find("south").unwrap()),
            Some(("South Korea", "south korea".len()))
        );
        assert_eq!(place_at("usual", 0), None, "'us' needs a word boundary");
    }
}
