//! The pipeline's own tests: canonical URLs, refused article links.

mod canonical {
    use super::super::entry::canonical;
    use super::super::*;

    #[track_caller]
    fn check_canonical(page: &str, declared: Option<&str>, expected: &str) {
        let page = Url::parse(page).unwrap();
        let declared = declared.map(|d| Url::parse(d).unwrap());
        assert_eq!(canonical(&page, declared.as_ref()).as_str(), expected);
    }

    #[test]
    fn canonical_link_on_same_site_is_used() {
        check_canonical(
            "https://news.example/a?id=1",
            Some("https://www.news.example/story/1"),
            "https://www.news.example/story/1",
        );
    }

    #[test]
    fn canonical_link_to_another_site_is_ignored() {
        check_canonical(
            "https://news.example/story/1",
            Some("https://other.example/story/9"),
            "https://news.example/story/1",
        );
    }
}

mod refusal {
    use super::super::*;
    use crate::store::Store;

    /// A feed on a public address (a literal, so nothing is resolved)
    /// whose matching entry links into a private network.
    const FEED_URL: &str = "http://93.184.215.14/feed.xml";
    const FEED: &str = r#"<rss version="2.0"><channel><title>Public</title>
        <item><title>North Korea sent Russia more than 200 artillery pieces</title>
        <link>http://10.1.2.3/admin/story.html</link><guid>private-link</guid></item>
        </channel></rss>"#;

    fn context(dir: &std::path::Path) -> Context {
        let toml = format!(
            "[daemon]\ndatabase = \"t.db\"\n\n[[feed]]\nurl = \"{FEED_URL}\"\n\n\
             [watch.nk]\nquery = '\"North Korea\" AND Russia'\n\
             [watch.nk.figure.artillery]\nterms = [\"artillery\"]\n\n[sink.journal]\ntype = \"log\"\n"
        );
        let config = config::Config::parse(&toml, &dir.join("figwatch.toml")).unwrap();
        let store = Store::connect(&config.daemon.database, 1).unwrap();
        Context::new(
            config,
            store,
            tokio_util::task::TaskTracker::new(),
            Arc::default(),
            Arc::default(),
        )
        .unwrap()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 1)]
    async fn refused_article_is_recorded_as_refused_and_not_retried() {
        let dir = tempfile::tempdir().unwrap();
        let ctx = context(dir.path());
        let feed = ctx.config.feeds[0].clone();
        let parsed =
            crate::feed::parse(FEED.as_bytes(), Some("application/rss+xml"), &feed.url).unwrap();
        let cancel = CancellationToken::new();
        let url = feed.url.to_string();
        // The store blocks: off the async worker, as the pipeline calls it.
        let state = tokio::task::block_in_place(|| {
            let state = ctx.store.feed(&url).unwrap();
            ctx.store
                .lease_feed(
                    &url,
                    ctx.store.instance(),
                    Utc::now(),
                    Utc::now() + ctx.lease_for(),
                    false,
                )
                .unwrap();
            state
        });

        let mut report = FeedReport::default();
        let processed =
            process_entries(&ctx, &feed, &state, &parsed, "Public", &cancel, &mut report).await;
        // Final, so the feed's validators may be stored.
        assert_eq!(processed, Processed::All);
        assert_eq!(report.n_new_entries, 1);
        assert_eq!(report.n_articles, 0);
        let conn = rusqlite::Connection::open(dir.path().join("t.db")).unwrap();
        let (status, error): (String, String) = conn
            .query_row("SELECT status, error FROM entries", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .unwrap();
        assert_eq!(status, "refused");
        assert!(error.contains("10.1.2.3 is a private address"), "{error}");

        let mut again = FeedReport::default();
        process_entries(&ctx, &feed, &state, &parsed, "Public", &cancel, &mut again).await;
        assert_eq!(again.n_new_entries, 0, "a refused link is never retried");
        let attempts: u32 = conn
            .query_row("SELECT attempts FROM entries", [], |row| row.get(0))
            .unwrap();
        assert_eq!(attempts, 1);
    }
}
