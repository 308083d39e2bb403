//! The local news site's pages, in our own words. The February article
//! carries the traps of the motivating case: an older figure quoted later,
//! a date, a year, an ordinal anniversary, a "five-year plan", a weather
//! widget, and a sidebar of other stories with their own numbers.

/// The news feed: version 1 has the November article, version 2 adds the
/// February one (and an unrelated story).
pub fn news_feed(version: usize) -> String {
    let november = r#"
    <item>
      <title>Seoul: North Korea has sent Russia more than 160 artillery pieces</title>
      <link>/news/2024/11/artillery.html?utm_source=rss&amp;utm_medium=feed</link>
      <guid isPermaLink="false">kd-2024-11-20-artillery</guid>
      <pubDate>Wed, 20 Nov 2024 08:00:00 GMT</pubDate>
      <description>North Korea has shipped artillery and troops to Russia, Seoul says.</description>
    </item>"#;
    let february = r#"
    <item>
      <title>North Korea shipped over 200 long-range artillery pieces to Russia, Seoul estimates</title>
      <link>/news/2025/02/long-range-artillery.html?utm_source=rss</link>
      <guid isPermaLink="false">kd-2025-02-11-artillery</guid>
      <pubDate>Tue, 11 Feb 2025 09:12:00 GMT</pubDate>
      <description>The defense ministry raised its estimate of Pyongyang's military aid to Moscow.</description>
    </item>
    <item>
      <title>Rain expected across the city this weekend</title>
      <link>/news/2025/02/weather.html</link>
      <guid isPermaLink="false">kd-2025-02-11-weather</guid>
      <pubDate>Tue, 11 Feb 2025 07:00:00 GMT</pubDate>
      <description>Forecasters expect 20 mm of rain.</description>
    </item>"#;
    let items = if version >= 2 {
        format!("{february}{november}")
    } else {
        november.to_string()
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Korea Daily — World</title>
    <link>/news/</link>
    <description>World news</description>{items}
  </channel>
</rss>"#
    )
}

/// A second feed (Atom) that links the February article with other tracking
/// parameters: the same article reached through two feeds.
pub fn wire_feed(version: usize) -> String {
    let entry = if version >= 2 {
        r#"
  <entry>
    <title>Pyongyang's arms to Moscow: over 200 artillery pieces</title>
    <link rel="alternate" href="/news/2025/02/long-range-artillery.html?utm_campaign=wire&amp;fbclid=abc"/>
    <id>urn:wire:2025-02-11:nk-artillery</id>
    <updated>2025-02-11T10:00:00Z</updated>
    <summary>North Korea and Russia: Seoul's new estimate.</summary>
  </entry>"#
    } else {
        ""
    };
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Wire</title>
  <id>urn:wire</id>
  <updated>2025-02-11T10:00:00Z</updated>{entry}
</feed>"#
    )
}

pub const ARTICLE_NOVEMBER: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Seoul: North Korea has sent Russia more than 160 artillery pieces | Korea Daily</title>
  <meta property="og:title" content="Seoul: North Korea has sent Russia more than 160 artillery pieces">
  <meta property="article:published_time" content="2024-11-20T08:00:00Z">
</head>
<body>
  <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/top-10">Top 10</a></nav>
  <article>
    <h1>Seoul: North Korea has sent Russia more than 160 artillery pieces</h1>
    <p>North Korea has shipped more than 160 artillery pieces to Russia along with large amounts of ammunition, South Korea's national security adviser said on Wednesday.</p>
    <p>About 10,000 troops have also been sent to Russia, where they are being trained before deployment, according to officials in Seoul.</p>
    <p>The adviser said the transfers had grown since the summer and that Seoul was watching closely for technology flowing back to Pyongyang from Moscow.</p>
  </article>
  <footer>Korea Daily, 690 Wilshire Blvd, Los Angeles. Call 213-555-0100.</footer>
</body>
</html>"#;

pub const ARTICLE_FEBRUARY: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>North Korea shipped over 200 long-range artillery pieces to Russia, Seoul estimates - Korea Daily</title>
  <meta property="og:title" content="North Korea shipped over 200 long-range artillery pieces to Russia, Seoul estimates">
  <meta property="article:published_time" content="2025-02-11T09:12:00Z">
  <link rel="canonical" href="/news/2025/02/long-range-artillery.html">
</head>
<body>
  <header>
    <div class="weather">60.1 F Los Angeles</div>
    <div class="dateline">Tuesday, February 11, 2025</div>
    <nav><a href="/">Home</a> <a href="/world">World</a></nav>
  </header>
  <main>
    <article>
      <h1>North Korea shipped over 200 long-range artillery pieces to Russia, Seoul estimates</h1>
      <p>North Korea has given Russia more than 200 long-range artillery pieces since the start of the war in Ukraine, according to South Korea's defense ministry.</p>
      <p>In a briefing to the parliamentary defense committee on February 11, the ministry said the North's military aid to Russia includes roughly 200 long-range artillery pieces, over 11,000 troops and a large quantity of ammunition. It warned that more troops and weapons could follow.</p>
      <p>State television showed a parade on September 9, 2023, held for the 75th anniversary of the state's founding, in which trucks disguised as a civil defense unit carried rocket launchers.</p>
      <p>The new estimate is up from November 2024, when national security adviser Shin Won-sik first disclosed the artillery transfers and put the number at "more than 160 pieces." The increase suggests Pyongyang has kept sending military aid since then.</p>
      <p>The ministry also said 2024 was the final year of North Korea's five-year defense development plan, and that it expects Pyongyang to modernise its conventional forces with Russian help.</p>
    </article>
    <aside class="most-read">
      <h2>Most read</h2>
      <ul>
        <li><a href="/a">Ukraine says 3,000 North Korean soldiers were killed or wounded</a></li>
        <li><a href="/b">Top 5 restaurants in Koreatown</a></li>
      </ul>
    </aside>
  </main>
  <footer>Korea Daily, 690 Wilshire Blvd, Los Angeles. Call 213-555-0100.</footer>
</body>
</html>"#;

pub const ARTICLE_UNRELATED: &str = r#"<!DOCTYPE html>
<html lang="en"><head><title>Rain expected across the city this weekend</title></head>
<body><article><h1>Rain expected across the city this weekend</h1>
<p>Forecasters expect up to 20 mm of rain on Saturday, with 15,000 homes at risk of flooding.</p>
</article></body></html>"#;
