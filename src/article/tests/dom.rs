//! DOM-level removal before the readability pass (`widgets`): slideshows,
//! captions and carousels go; posts embedded from social networks stay.

use super::*;

#[test]
fn slideshow_boxes_are_removed_but_story_wrappers_named_after_them_stay() {
    let html = format!(
        r#"<html><body><div class="page with-gallery"><article>
        <p>{}</p>
        <div class="story-gallery"><div class="slide"><p>Sandbags stacked along the quay wall during the 2024 floods.</p><span>Image 9 of 12</span></div></div>
        <p>{}</p><p>{}</p><p>{}</p></article></div></body></html>"#,
        STORY[0], STORY[1], STORY[2], STORY[3]
    );
    let doc = Document::from(html.as_str());
    let _ = widgets::remove_boilerplate(&doc);
    let left = text::block_text(&doc.root(), text::Filter::Minimal);
    assert!(!left.contains("Sandbags"), "slideshow kept:\n{left}");
    for paragraph in STORY {
        assert!(left.contains(paragraph), "story lost:\n{left}");
    }
}

#[test]
fn captions_and_carousels_outside_figures_are_removed() {
    let html = format!(
        r#"<html><body><article>
        <p>{}</p>
        <div class="inline-image"><img src="a.jpg"><div class="InlineImage-caption">Crews lift the 40 tonne barrier section into place in May.</div></div>
        <p>{}</p>
        <div class="rail swiper-container"><div class="swiper-slide"><h3>SEEING DOUBLE</h3><span>Twins, 3, rescued from 12 metre well</span></div></div>
        <p>{}</p><p>{}</p></article></body></html>"#,
        STORY[0], STORY[1], STORY[2], STORY[3]
    );
    check(
        &html,
        None,
        &STORY,
        &["40 tonne", "SEEING DOUBLE", "12 metre well"],
    );
}

/// A story quoting two posts, one wrapped for its network's widget script
/// and one inside a figure, with a timeline of the paper's own posts in an
/// aside.
fn page_with_embedded_posts() -> String {
    format!(
        r#"<html><body><article>
        <p>{}</p>
        <div class="social-media-embed"><div class="embed-wrapper"><blockquote class="twitter-tweet" data-lang="en"><p lang="en">The water is at the second step of the town hall now, 3 metres over the usual level.</p>&mdash; River Watch (@riverwatch) <a href="https://social.example/riverwatch/1">March 3, 2026</a></blockquote><script async src="https://social.example/widgets.js"></script></div></div>
        <p>{}</p>
        <figure class="embed"><blockquote class="instagram-media"><p>Day 3 of sandbagging with 200 neighbours.</p></blockquote></figure>
        <p>{}</p><p>{}</p>
        </article>
        <aside class="our-feed"><blockquote class="twitter-tweet"><p>Our 5 best flood photos of the week</p></blockquote></aside>
        </body></html>"#,
        STORY[0], STORY[1], STORY[2], STORY[3]
    )
}

#[test]
fn posts_embedded_in_the_story_are_kept_in_order() {
    check(
        &page_with_embedded_posts(),
        None,
        &[
            STORY[0],
            "The water is at the second step of the town hall now, 3 metres over the usual level.",
            STORY[1],
            "Day 3 of sandbagging with 200 neighbours.",
            STORY[2],
            STORY[3],
        ],
        &["5 best flood photos"],
    );
}

#[test]
fn an_embedded_post_replaces_only_wrappers_that_hold_nothing_else() {
    let doc = Document::from(page_with_embedded_posts().as_str());
    let _ = widgets::remove_boilerplate(&doc);
    // Both wrappers of the first post are gone, the post has lost its
    // network's class; the aside went whole, its post with it.
    assert!(
        doc.select("div.social-media-embed, div.embed-wrapper")
            .is_empty()
    );
    assert!(
        doc.select(".twitter-tweet, .instagram-media, aside")
            .is_empty()
    );
    assert_eq!(doc.select("article > blockquote").length(), 2);
    // A wrapper with text of its own ("Posted by …") is not replaced.
    let doc = Document::from(
        r#"<html><body><article><div class="social-embed"><p>Posted by the mayor:</p><blockquote class="twitter-tweet"><p>Roads closed.</p></blockquote></div></article></body></html>"#,
    );
    let _ = widgets::remove_boilerplate(&doc);
    assert_eq!(doc.select("div.social-embed > blockquote").length(), 1);
}

#[test]
fn an_embedded_post_keeps_its_link_text_but_not_its_links() {
    let doc = Document::from(page_with_embedded_posts().as_str());
    let _ = widgets::remove_boilerplate(&doc);
    let post = doc.select("article > blockquote").first();
    assert!(post.select("a").is_empty());
    assert!(post.text().contains("March 3, 2026"));
}

#[test]
fn boxes_inside_the_story_are_noted_and_dropped_from_the_output() {
    let html = format!(
        r#"<html><body><div class="story"><article>
        <p>{}</p><p>{}</p>
        <div class="relatedContent"><h3>County guides</h3><ul><li><a href="/a">Bridge closed for 6 weeks</a></li></ul></div>
        <p>{}</p><p>{}</p>
        <p class="image-caption">Crews at the 40 tonne barrier.</p>
        <div class="commentary-text"><p>In my view the barrier is 10 years late.</p></div>
        </article></div></body></html>"#,
        STORY[0], STORY[1], STORY[2], STORY[3]
    );
    let doc = Document::from(html.as_str());
    let noted = widgets::remove_boilerplate(&doc);
    for box_text in [
        "County guides",
        "Bridge closed for 6 weeks",
        "Crews at the 40 tonne barrier.",
    ] {
        assert!(
            noted.contains(box_text),
            "{box_text:?} not noted: {noted:?}"
        );
    }
    assert!(STORY.iter().all(|paragraph| !noted.contains(*paragraph)));
    // "Commentary" is an opinion piece's text, not a comment thread.
    assert!(!noted.contains("In my view the barrier is 10 years late."));

    let output = [
        STORY[0],
        "County guides",
        "Bridge closed for 6 weeks",
        STORY[1],
    ]
    .join("\n\n");
    assert_eq!(
        widgets::drop_noted(output, &noted),
        [STORY[0], STORY[1]].join("\n\n")
    );
    // Noted text that is most of the output is the story (a photo story's
    // captions): it stays.
    let mostly_captions = ["Crews at the 40 tonne barrier.", "County guides"].join("\n\n");
    assert_eq!(
        widgets::drop_noted(mostly_captions.clone(), &noted),
        mostly_captions
    );
}

#[test]
fn a_story_wrapper_named_like_a_box_keeps_its_text() {
    let html = format!(
        r#"<html><body><div class="story share-enabled"><article>
        <p>{}</p><p>{}</p><p>{}</p><p>{}</p>
        </article></div></body></html>"#,
        STORY[0], STORY[1], STORY[2], STORY[3]
    );
    check(&html, None, &STORY, &[]);
}
