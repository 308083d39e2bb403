//! Page shapes where the story is not the block a readability-style scorer
//! picks on its own: a `<form>` around the whole page, furniture (a
//! section menu, a "Recent features" rail, a promo box, a footer link
//! row) beside a short story, a sign-in pop-up before it, a second story
//! below it, and an index page whose list is the content.

use super::*;

/// A story of five paragraphs about a library, in our own words.
const STORY: [&str; 5] = [
    "The county library board voted on Thursday evening to keep all 14 branch libraries open through the winter, reversing a plan that would have shut four of them in January.",
    "Board members said a late grant from the regional arts fund, worth about 2.1 million over three years, closed most of the gap that had prompted the closures in the first place.",
    "Librarians at the smaller branches had collected more than 9,000 signatures in six weeks, and several parents spoke at the meeting about the homework clubs that meet there after school.",
    "The remaining shortfall, roughly 300,000 a year, will be covered by shorter Sunday hours at the central library and by delaying the replacement of two mobile library vans.",
    "A final budget for the next financial year is due in March, when the board will also decide whether the reading rooms in the old town hall can reopen after their repairs.",
];

/// Menus, promos and the other furniture around it: none may leak.
const FURNITURE: [&str; 8] = [
    "IN TODAY'S PAPER",
    "Recent features",
    "Best of the year: 25 walks",
    "Sign in to keep reading",
    "Free shipping on orders over 40",
    "Privacy policy",
    "Ferry timetable changes for 12 routes",
    "Search the archive",
];

fn story_paragraphs() -> String {
    STORY.iter().map(|p| format!("<p>{p}</p>")).collect()
}

fn section_menu() -> &'static str {
    r##"<div class="sections"><h3>IN TODAY'S PAPER</h3><ul>
    <li><a href="/front">Front page</a></li><li><a href="/world">World news</a></li>
    <li><a href="/business">Business and markets</a></li><li><a href="/sport">Sport results</a></li>
    <li><a href="/arts">Arts and books</a></li><li><a href="/weather">Weather for the week</a></li>
    </ul></div>"##
}

/// A teaser column of other stories: each teaser a short paragraph with
/// a linked headline, long enough to look like text to a tag scorer.
fn recent_features() -> String {
    let teaser = |headline: &str, blurb: &str| {
        format!(
            r#"<div class="item"><h4><a href="/f">{headline}</a></h4><p>{blurb} <a href="/f">More</a></p></div>"#
        )
    };
    format!(
        r#"<div class="rail"><h3>Recent features</h3>{}{}{}<div class="box"><h3>Best of the year: 25 walks</h3><p>Our writers pick the coastal paths, hill routes and river walks they loved most, with maps.</p></div></div>"#,
        teaser(
            "Ferry timetable changes for 12 routes",
            "Islanders say the new winter timetable leaves them with one crossing a day, and the operator says it will review the plan.",
        ),
        teaser(
            "The bakers who start at three",
            "We spent a night in the kitchens of the town's oldest bakery, where the ovens have not gone cold in forty years.",
        ),
        teaser(
            "A choir for people who cannot sing",
            "Every Tuesday in the church hall, sixty people who were told as children to mouth the words finally sing out loud.",
        ),
    )
}

fn footer_row() -> &'static str {
    r##"<div class="bottom"><a href="/about">About us</a> | <a href="/contact">Contact</a> | <a href="/privacy">Privacy policy</a> | <a href="/terms">Terms of use</a> | <a href="/ads">Advertise with us</a> | <a href="/jobs">Jobs</a></div>"##
}

#[test]
fn a_form_around_the_whole_page_is_a_container_not_a_control() {
    let html = format!(
        r#"<html><head><title>Library branches stay open</title></head><body>
        <form name="aspnetForm" method="post" action="story.aspx?id=7" id="aspnetForm">
        <input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="dDwtMTA4NzY">
        <table width="100%"><tr><td class="left">{}
        <div class="search"><label>Search the archive</label><input type="text" name="q"><input type="submit" value="Go"></div>
        </td><td class="main"><h1>Library branches stay open</h1><span class="date">3/4/2008</span>
        {}
        </td><td class="right">{}</td></tr></table>{}
        </form></body></html>"#,
        section_menu(),
        story_paragraphs(),
        recent_features(),
        footer_row()
    );
    check(&html, None, &STORY, &FURNITURE);
}

#[test]
fn a_form_around_a_page_without_paragraph_tags_keeps_its_text() {
    let lines: String = STORY.iter().map(|p| format!("{p}<br><br>")).collect();
    let html = format!(
        r#"<html><body><form id="Form1" method="post"><table><tr><td>{}</td>
        <td><font size="2">{lines}</font></td></tr></table>{}</form></body></html>"#,
        section_menu(),
        footer_row()
    );
    check(&html, None, &STORY, &FURNITURE);
}

#[test]
fn a_search_form_beside_the_story_still_goes() {
    let html = format!(
        r#"<html><body><form action="/search"><p>Search the archive</p><input name="q"></form>
        <div class="story">{}</div></body></html>"#,
        story_paragraphs()
    );
    check(&html, None, &STORY, &FURNITURE);
}

#[test]
fn a_short_story_beside_a_menu_features_rail_and_promo_box_is_kept() {
    // The story's paragraphs sit in a table cell as `<br>`-separated text,
    // with the furniture in neat `<p>`s: the shape where a tag scorer
    // prefers the furniture.
    let lines: String = STORY[..3].iter().map(|p| format!("{p}<br><br>")).collect();
    let html = format!(
        r#"<html><body>{}<table><tr><td valign="top">{lines}</td><td>{}</td></tr></table>{}</body></html>"#,
        section_menu(),
        recent_features(),
        footer_row()
    );
    check(&html, None, &STORY[..3], &FURNITURE);
}

#[test]
fn a_sign_in_pop_up_before_the_story_is_not_the_story() {
    let html = format!(
        r#"<html><body><div id="overlay" class="lightbox"><div class="box"><h2>Sign in to keep reading</h2>
        <p>Registered readers can read ten articles a month for free. Sign in with your email address, or create an account in under a minute.</p>
        <p>Already a subscriber? Your print subscription includes full access to the website and the app, at no extra charge.</p>
        <p><a href="/login">Sign in</a> <a href="/register">Register</a></p></div></div>
        <div class="content"><h1>Library branches stay open</h1>{}</div>{}</body></html>"#,
        story_paragraphs(),
        footer_row()
    );
    check(&html, None, &STORY, &FURNITURE);
}

#[test]
fn a_second_story_below_the_first_does_not_replace_it() {
    let second = [
        "Ferry timetable changes for 12 routes were announced on Friday by the island operator.",
        "Islanders say the winter plan leaves them with a single crossing a day on most routes.",
    ];
    let html = format!(
        r#"<html><body><div class="story"><h1>Library branches stay open</h1>{}</div>
        <div class="next"><h2><a href="/next">Next story</a></h2><div class="story"><p>{}</p><p>{}</p></div></div>
        {}</body></html>"#,
        story_paragraphs(),
        second[0],
        second[1],
        footer_row()
    );
    check(&html, None, &STORY, &FURNITURE);
}

#[test]
fn an_index_page_keeps_its_whole_list() {
    // Items of mixed length: the last long one comes well before the end.
    let items: Vec<String> = (1..=30)
        .map(|n| match n % 3 {
            0 if n < 20 => format!(
                "Walk {n}: from the harbour steps up to the old hill fort and back down along the cliffs"
            ),
            _ => format!("Walk {n}: the river meadows loop"),
        })
        .collect();
    let list: String = items.iter().map(|i| format!("<li>{i}</li>")).collect();
    let html = format!(
        r#"<html><body>{}<div class="content"><h1>Thirty coastal walks</h1>
        <p>Every walk on this list starts at a bus stop, takes less than half a day and ends somewhere you can buy a hot drink, whatever the season.</p>
        <ul>{list}</ul></div>{}</body></html>"#,
        section_menu(),
        footer_row()
    );
    let expected: Vec<&str> = items.iter().map(String::as_str).collect();
    check(&html, None, &expected, &FURNITURE);
}

#[test]
fn the_densest_run_is_the_story_not_the_menu_or_the_rail() {
    let html = format!(
        r#"<html><body>{}<div>{}</div>{}{}</body></html>"#,
        section_menu(),
        story_paragraphs(),
        recent_features(),
        footer_row()
    );
    let doc = Document::from(html.as_str());
    let body = doc.select("body").nodes()[0];
    let run = density::densest_run(&body);
    assert_eq!(run, STORY.join("\n\n"), "run:\n{run}");
}
