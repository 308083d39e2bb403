//! Paragraph-level cleanup (`clean`) and the tail trim, on texts in the
//! module's shape.

use super::*;

#[test]
fn short_paragraphs_after_the_story_are_dropped_but_an_opening_heading_stays() {
    let text = "What changes in 2026\n\nThe band will tour again next summer with all five original members, playing 40 dates across the country.\n\nTickets go on sale on Friday morning at ten o'clock through the usual outlets.\n\nTags\n\nTop 25 albums of 1979\n\nBand named in hall of fame vote";
    assert_eq!(
        text::trim_tail(text),
        "What changes in 2026\n\nThe band will tour again next summer with all five original members, playing 40 dates across the country.\n\nTickets go on sale on Friday morning at ten o'clock through the usual outlets."
    );
}

#[track_caller]
fn check_clean(input: &[&str], expected: &[&str]) {
    assert_eq!(
        clean::clean_paragraphs(&input.join("\n\n")),
        expected.join("\n\n")
    );
}

#[test]
fn captions_credits_and_promos_never_reach_text() {
    check_clean(
        &[
            STORY[0],
            "Flood water covers the lower town square in March (Image: Agency photographer)",
            "Photo: Jane Rivers, Wire Service",
            "Image 3 of 14",
            "Volunteers fill sandbags by the bridge. Jane Rivers | Wire Service | Getty Images",
            "Sandbags by the bridge on Sunday.Reuters",
            "PUBLISHED: 09:12, Tue, Mar 3, 2026 | UPDATED: 10:40",
            "Caption",
            "Close",
            STORY[1],
            "Related: Five towns that rebuilt after the 2019 storms",
            "READ MORE: Council tax to rise by 4 percent",
            "CLICK HERE TO GET THE 24 HOUR NEWS APP ON YOUR PHONE",
            STORY[2],
            "Advertisement",
            "Get the morning briefing in your inbox: sign up for our newsletter.",
            "Follow us on Twitter and Instagram for live updates.",
            "Have a tip? Our reporter can be reached at desk@gazette.example.",
            "Best rain jackets of 2026, tested [Video]",
            STORY[3],
            "© 2026 Riverside Gazette Ltd. All rights reserved.",
            "About the author",
            "Sam Reed has covered the county council for 12 years and lives in the lower town with two dogs and a canoe.",
        ],
        &STORY,
    );
}

#[test]
fn link_list_under_a_related_heading_goes_until_the_story_resumes() {
    check_clean(
        &[
            STORY[0],
            "Most read",
            "Bridge closed for 6 weeks after crash",
            "Lottery winner gives 2 million to school …",
            "Mayor's dog wins 3rd prize at show",
            STORY[1],
            "More news from Science",
            "Will the comet come back in 2061?",
            "Why 40 percent of bees vanished",
            STORY[2],
            "You may also like",
            "Ten walks along the river this autumn",
        ],
        &STORY[..3],
    );
}

#[test]
fn story_paragraphs_with_numbers_and_short_headings_stay() {
    // Short all-caps subheadings, figures in brackets and sentences that
    // merely start like a promo are story text.
    let kept = [
        STORY[0],
        "WHAT HAPPENS NEXT?",
        "Updated flood maps will be published in 2027.",
        "The mayor did not reply to questions from Reuters.",
        "Following the vote, 14 councillors (out of 21) signed a letter to the minister.",
        "Subscribers to the council's alert service, about 9,000 people, will get warnings by text.",
        "Image quality of the 1990s survey maps was too poor to use, the engineers said.",
        STORY[1],
    ];
    check_clean(&kept, &kept);
    // Scripts without letter case are never "shouting".
    let cjk = [
        "市議会は月曜日、川沿いの堤防に千八百万を投じることを決めた。三年続けて下町が孤立した冬の後のことだ。工事は来年始まる予定で、住民は期待している。",
    ];
    check_clean(&cjk, &cjk);
}

#[test]
fn bylines_and_contact_lines_go_but_sentences_like_them_stay() {
    check_clean(
        &[
            "By Jane Rivers - 03/03/26 11:04 AM GMT",
            STORY[0],
            "By SAM REED and Ana Lopez, Riverside Gazette",
            STORY[1],
            "Riverside Gazette, 12 Quay Street, Suite 900 | 01632-960-123 tel | 01632-960-124 fax",
            "Media contact: Jane Rivers, phone +44 20 7946 0000",
        ],
        &STORY[..2],
    );
    let kept = [
        "By Friday, 200 volunteers had arrived.",
        "By 2030 the barrier will protect 4,000 homes",
        "The phone company said 1,300 engineers were sent to 45 towns in 2025 and 2026.",
        "Phone bills rose by 12 percent in 2025-2026, the regulator said on 03/03/2026.",
    ];
    check_clean(&kept, &kept);
}

#[test]
fn bare_dates_source_lines_and_author_chrome_go() {
    check_clean(
        &[
            "Nov. 3, 2026 6:02 AM EST",
            "03.11.2026, 08:57",
            "November 3, 2026 | 4:20am | Updated November 3, 2026 | 9:32pm",
            STORY[0],
            "Email the author",
            "View author archive",
            STORY[1],
            "Subscribe to the Gazette video channel for all of our latest reports!",
            "Follow our full coverage of the floods at https://gazette.example/floods",
            STORY[2],
            "SOURCE: News agencies",
        ],
        &STORY[..3],
    );
    // Timeline headings and sentences with dates are story.
    let kept = [
        "March 2020",
        STORY[0],
        "On November 3, 2026, the river rose 40 centimetres in six hours.",
        "2019",
        STORY[1],
    ];
    check_clean(&kept, &kept);
}

#[test]
fn the_author_sign_off_goes_from_the_last_paragraphs_only() {
    let sign_off = "Sam Reed's book about the river, \"High Water\", is out now from Quay Press. Follow him on Twitter @samreed, or write to the desk at desk@gazette.example with tips.";
    let mid_story = "The engineers' report, sent by email to council@town.example on Monday and seen by the Gazette, says the barrier must be 40 centimetres higher than planned to cope with the floods expected by 2050.";
    check_clean(
        &[STORY[0], mid_story, STORY[1], STORY[2], STORY[3], sign_off],
        &[STORY[0], mid_story, STORY[1], STORY[2], STORY[3]],
    );
}

#[test]
fn a_quotation_attribution_survives_the_tail_trim() {
    let text = format!(
        "{}\n\nThe water is at the second step of the town hall now, 3 metres over the usual level.\n\n— River Watch (@riverwatch) March 3, 2026\n\nTags\n\nFloods",
        STORY[0]
    );
    assert_eq!(
        text::trim_tail(&text),
        format!(
            "{}\n\nThe water is at the second step of the town hall now, 3 metres over the usual level.\n\n— River Watch (@riverwatch) March 3, 2026",
            STORY[0]
        )
    );
}

#[test]
fn follow_lines_need_somewhere_to_follow() {
    check_clean(
        &[
            STORY[0],
            "Follow us on Twitter and Instagram for live updates.",
            "Follow Sam @samreed for more.",
            STORY[1],
        ],
        &STORY[..2],
    );
    let kept = [
        STORY[0],
        "Residents were told to follow medical advice and to follow usual procedures.",
        "Others will follow him in the spring, when 300 more homes are cleared.",
        STORY[1],
    ];
    check_clean(&kept, &kept);
}

#[test]
fn a_short_brief_with_a_contact_address_is_not_a_sign_off() {
    let brief = [
        "The county council will open two new sandbag depots on Monday, one at the fire station and one at the lower town school, for the 120 households nearest the river, after the Environment Agency raised its warning level overnight.",
        "Residents can collect up to 20 bags each from eight in the morning; for deliveries to people who cannot travel, the council asks neighbours to write to floods@council.example with the address and the number of bags needed.",
        "Volunteers who want to help fill bags at either depot can sign up at the library, and the council will post the opening hours of both depots as they change on its website and on Twitter, where residents should follow the council for updates.",
    ];
    check_clean(&brief, &brief);
}
