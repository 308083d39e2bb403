//! The demo's news world: three outlets telling the motivating story over
//! five simulated days, in our own words, with the traps a real news feed
//! holds (another country's troops, shells that are not artillery pieces,
//! an increment, a late article about an older state). Pure data and the
//! RSS and HTML made from it; `demo::run` serves it.

/// An outlet: its path on the demo site and the name its feed is given.
pub(super) struct Outlet {
    /// Path segment: `/korea-daily/feed.xml`.
    pub(super) slug: &'static str,
    /// The feed's `name` in the demo config, and the article's source.
    pub(super) name: &'static str,
}

pub(super) const OUTLETS: [Outlet; 3] = [
    Outlet {
        slug: "korea-daily",
        name: "Korea Daily",
    },
    Outlet {
        slug: "seoul-wire",
        name: "Seoul Wire",
    },
    Outlet {
        slug: "eurasia-monitor",
        name: "Eurasia Monitor",
    },
];

/// One article: which outlet runs it, from which simulated day on.
pub(super) struct Story {
    /// Index into [`OUTLETS`].
    pub(super) outlet: usize,
    /// The first simulated day (1-based) the outlet's feed carries it.
    pub(super) day: usize,
    /// Path segment of the article page.
    pub(super) slug: &'static str,
    /// Publication time, RFC 3339.
    pub(super) published: &'static str,
    /// Publication time as RSS writes it (RFC 2822).
    pub(super) pub_date: &'static str,
    pub(super) headline: &'static str,
    pub(super) paragraphs: &'static [&'static str],
}

/// A simulated day: its date and what a reader of the demo should notice.
pub(super) struct Day {
    pub(super) date: &'static str,
    /// Why this day alerts, or does not.
    pub(super) note: &'static str,
}

pub(super) const DAYS: [Day; 5] = [
    Day {
        date: "20 Nov 2024",
        note: "first poll of each feed: its figures are recorded without alerting (baseline = true)",
    },
    Day {
        date: "5 Dec 2024",
        note: "no alert: Russia's own 600,000 troops are not North Korea's (of = [\"North Korea\"]), and 8 million artillery shells are shells, not artillery pieces",
    },
    Day {
        date: "23 Dec 2024",
        note: "a casualty figure appears for the first time (and its soldiers are never the troops figure's)",
    },
    Day {
        date: "11 Feb 2025",
        note: "the February report: two figures change",
    },
    Day {
        date: "14 Feb 2025",
        note: "no alert: \"an additional 3,000 troops\" is an increment, not a level, and a late article published in January is history, not news",
    },
];

pub(super) const STORIES: [Story; 8] = [
    Story {
        outlet: 0,
        day: 1,
        slug: "2024-11-20-artillery",
        published: "2024-11-20T08:00:00Z",
        pub_date: "Wed, 20 Nov 2024 08:00:00 GMT",
        headline: "Seoul: North Korea has sent Russia more than 160 artillery pieces",
        paragraphs: &[
            "South Korea's intelligence service said on Wednesday that North Korea has sent Russia more than 160 artillery pieces and about 11,000 troops since the summer.",
            "Officials in Seoul said the shipments had grown since a defence pact between Pyongyang and Moscow was signed in June.",
        ],
    },
    Story {
        outlet: 1,
        day: 1,
        slug: "2024-11-20-weather",
        published: "2024-11-20T06:30:00Z",
        pub_date: "Wed, 20 Nov 2024 06:30:00 GMT",
        headline: "First frost expected across the capital region",
        paragraphs: &[
            "Forecasters expect temperatures to fall to minus 3 degrees overnight, with 2 cm of snow in the hills.",
        ],
    },
    Story {
        outlet: 2,
        day: 1,
        slug: "2024-11-19-grain",
        published: "2024-11-19T12:00:00Z",
        pub_date: "Tue, 19 Nov 2024 12:00:00 GMT",
        headline: "Grain shipments through the Black Sea pick up",
        paragraphs: &[
            "Exporters loaded 4.2 million tonnes of grain in October, traders said, the most since the spring.",
        ],
    },
    Story {
        outlet: 1,
        day: 2,
        slug: "2024-12-05-analysis",
        published: "2024-12-05T10:00:00Z",
        pub_date: "Thu, 05 Dec 2024 10:00:00 GMT",
        headline: "Analysis: what North Korea's arms mean for Russia's war",
        paragraphs: &[
            "Russia now has about 600,000 troops in the war, and North Korea has shipped Russia some 8 million artillery shells, the analysts said.",
            "The analysts expect the flow of ammunition from Pyongyang to continue into next year.",
        ],
    },
    Story {
        outlet: 2,
        day: 3,
        slug: "2024-12-23-casualties",
        published: "2024-12-23T15:00:00Z",
        pub_date: "Mon, 23 Dec 2024 15:00:00 GMT",
        headline: "Ukraine: North Korea's soldiers suffer heavy losses fighting for Russia",
        paragraphs: &[
            "About 3,000 North Korean soldiers have been killed or wounded in the Kursk region, Ukraine's military intelligence said on Monday.",
            "Russia has not commented on the figure, and North Korea has never confirmed that its soldiers are fighting for Moscow.",
        ],
    },
    Story {
        outlet: 0,
        day: 4,
        slug: "2025-02-11-long-range-artillery",
        published: "2025-02-11T09:12:00Z",
        pub_date: "Tue, 11 Feb 2025 09:12:00 GMT",
        headline: "North Korea shipped over 200 long-range artillery pieces to Russia, Seoul estimates",
        paragraphs: &[
            "North Korea has supplied Russia with more than 200 long-range artillery pieces and over 12,000 troops, South Korea's defence ministry said on Tuesday.",
            "In November, officials had put the number at more than 160 pieces.",
        ],
    },
    Story {
        outlet: 1,
        day: 5,
        slug: "2025-02-14-more-troops",
        published: "2025-02-14T07:45:00Z",
        pub_date: "Fri, 14 Feb 2025 07:45:00 GMT",
        headline: "Pyongyang readies more troops for Russia, Seoul says",
        paragraphs: &[
            "Pyongyang is preparing to send an additional 3,000 troops to Russia, Seoul said on Friday.",
        ],
    },
    Story {
        outlet: 2,
        day: 5,
        slug: "2025-01-15-report",
        published: "2025-01-15T11:00:00Z",
        pub_date: "Wed, 15 Jan 2025 11:00:00 GMT",
        headline: "Report: North Korean guns reach Russian units",
        paragraphs: &[
            "In a report published in January, analysts counted 150 artillery pieces sent by North Korea to Russia.",
        ],
    },
];

/// The RSS feed of `outlet` on simulated `day`: every story it has run so
/// far, newest first; links are absolute under `base` ("http://127.0.0.1:PORT").
pub(super) fn feed_xml(outlet: usize, day: usize, base: &str) -> Option<String> {
    let meta = OUTLETS.get(outlet)?;
    let mut stories: Vec<&Story> = STORIES
        .iter()
        .filter(|story| story.outlet == outlet && story.day <= day)
        .collect();
    stories.sort_by(|a, b| b.published.cmp(a.published));
    let mut items = String::new();
    for story in stories {
        items.push_str(&format!(
            "\n    <item>\n      <title>{}</title>\n      <link>{base}/{}/{}.html</link>\n      <guid isPermaLink=\"false\">{}-{}</guid>\n      <pubDate>{}</pubDate>\n      <description>{}</description>\n    </item>",
            escape(story.headline),
            meta.slug,
            story.slug,
            meta.slug,
            story.slug,
            story.pub_date,
            escape(story.paragraphs.first().copied().unwrap_or_default()),
        ));
    }
    Some(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\">\n  <channel>\n    <title>{name}</title>\n    <link>{base}/{slug}/</link>\n    <description>{name}: world news (figwatch demo)</description>{items}\n  </channel>\n</rss>\n",
        name = escape(meta.name),
        slug = meta.slug,
    ))
}

/// The page of the story `slug` at `outlet`, with the furniture a news page
/// has around its text (navigation, a related-stories box, a footer).
pub(super) fn article_html(outlet_slug: &str, slug: &str) -> Option<String> {
    let outlet = OUTLETS.iter().position(|o| o.slug == outlet_slug)?;
    let story = STORIES
        .iter()
        .find(|story| story.outlet == outlet && story.slug == slug)?;
    let name = escape(OUTLETS[outlet].name);
    let body: String = story
        .paragraphs
        .iter()
        .map(|paragraph| format!("<p>{}</p>\n", escape(paragraph)))
        .collect();
    Some(format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>{headline} | {name}</title>\n<meta property=\"og:site_name\" content=\"{name}\">\n<meta property=\"article:published_time\" content=\"{published}\">\n</head><body>\n<nav><a href=\"/\">Home</a> <a href=\"/world\">World</a> <a href=\"/sport\">Sport</a></nav>\n<article>\n<h1>{headline}</h1>\n<time datetime=\"{published}\">{published}</time>\n{body}</article>\n<aside><h2>Most read</h2><ul><li>Top 10 winter walks</li><li>Markets: 3 stocks to watch</li></ul></aside>\n<footer>© 2025 {name}</footer>\n</body></html>\n",
        headline = escape(story.headline),
        published = story.published,
    ))
}

use crate::text::escape_html as escape;
