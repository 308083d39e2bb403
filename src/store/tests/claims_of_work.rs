//! Claims on work between instances: feed leases, delivery claims, the
//! heartbeat rows. Every test runs with two instances on one database.

use super::*;

const FEED: &str = "https://news.example/rss";

fn minutes(n: i64) -> chrono::Duration {
    chrono::Duration::minutes(n)
}

#[test]
fn a_leased_feed_is_held_from_other_instances_until_its_lease_expires() {
    each_backend_twice(|first, second| {
        let granted = first
            .lease_feed(FEED, first.instance(), at(1), at(1) + minutes(2), false)
            .unwrap();
        let Lease::Granted(state) = granted else {
            panic!("first lease refused: {granted:?}");
        };
        assert_eq!(
            state.lease,
            Some((first.instance().to_string(), at(1) + minutes(2)))
        );
        // Even `once` (not only when due) leaves a held feed alone.
        assert_eq!(
            second
                .lease_feed(FEED, second.instance(), at(1) + minutes(1), at(2), false)
                .unwrap(),
            Lease::Held {
                owner: first.instance().to_string(),
                until: at(1) + minutes(2),
            }
        );
        assert_eq!(first.leased_feeds(first.instance(), at(1)).unwrap(), 1);
        assert_eq!(second.leased_feeds(second.instance(), at(1)).unwrap(), 0);
        // Expired (its instance died): free again, and the first instance
        // learns it lost the feed.
        let taken = second
            .lease_feed(FEED, second.instance(), at(1) + minutes(3), at(2), false)
            .unwrap();
        assert!(matches!(taken, Lease::Granted(_)), "{taken:?}");
        assert!(
            !first
                .renew_lease(state.id, first.instance(), at(2))
                .unwrap()
        );
        assert!(
            second
                .renew_lease(state.id, second.instance(), at(3))
                .unwrap()
        );
    });
}

#[test]
fn a_feed_polled_by_another_instance_is_not_due_again_within_its_interval() {
    each_backend_twice(|first, second| {
        let Lease::Granted(state) = first
            .lease_feed(FEED, first.instance(), at(1), at(1) + minutes(2), true)
            .unwrap()
        else {
            panic!("a new feed is due");
        };
        first
            .record_poll(
                state.id,
                &PollResult::NotModified,
                at(1),
                at(1) + minutes(15),
                Duration::from_secs(3600),
                &[],
                first.instance(),
            )
            .unwrap();
        // Recording the poll released the lease.
        assert_eq!(first.feed(FEED).unwrap().lease, None);
        // The second instance's own schedule thought the feed due; the
        // store knows better.
        assert_eq!(
            second
                .lease_feed(FEED, second.instance(), at(1) + minutes(5), at(2), true)
                .unwrap(),
            Lease::NotDue {
                next_poll_at: at(1) + minutes(15)
            }
        );
        let due_later = second
            .lease_feed(FEED, second.instance(), at(1) + minutes(15), at(2), true)
            .unwrap();
        assert!(matches!(due_later, Lease::Granted(_)), "{due_later:?}");
        second.release_feed(state.id, second.instance()).unwrap();
        assert_eq!(second.feed(FEED).unwrap().lease, None);
    });
}

/// One figure_changed alert with a delivery to `hook`.
fn one_delivery(store: &Store) -> i64 {
    let feed = store.feed(FEED).unwrap();
    let watch = watch();
    record(store, feed.id, &watch, article("a", 10.0, 1));
    let due = store.due_deliveries(at(21), 10).unwrap();
    assert_eq!(due.len(), 2, "hook and log");
    due.iter().find(|d| d.sink == "hook").unwrap().id
}

/// [`one_delivery`], claimed by `store` at `now` for a minute.
fn claimed_delivery(store: &Store, now: DateTime<Utc>) -> i64 {
    let id = one_delivery(store);
    assert!(
        store
            .claim_delivery(id, store.instance(), now, now + minutes(1))
            .unwrap()
    );
    id
}

#[test]
fn a_claimed_delivery_is_sent_by_one_instance_only() {
    each_backend_twice(|first, second| {
        let now = at(21);
        let id = claimed_delivery(first, now);
        assert!(
            !second
                .claim_delivery(id, second.instance(), now, now + minutes(1))
                .unwrap(),
            "claimed by the first"
        );
        let due: Vec<i64> = second
            .due_deliveries(now, 10)
            .unwrap()
            .iter()
            .map(|d| d.id)
            .collect();
        assert!(!due.contains(&id), "a claimed delivery is not offered");
        first.delivery_succeeded(id, now).unwrap();
        // Sent: never claimable again, even once the claim would have run out.
        assert!(
            !second
                .claim_delivery(id, second.instance(), now + minutes(5), now + minutes(6))
                .unwrap()
        );
    });
}

#[test]
fn a_claim_whose_instance_died_expires_and_the_delivery_is_sent_by_another() {
    each_backend_twice(|first, second| {
        let now = at(21);
        let id = claimed_delivery(first, now);
        // The claim holds back the next attempt until it runs out.
        let next = second.next_delivery_at().unwrap().unwrap();
        assert!(next <= now + minutes(1), "{next}");
        let later = now + minutes(2);
        assert!(
            second
                .due_deliveries(later, 10)
                .unwrap()
                .iter()
                .any(|d| d.id == id)
        );
        assert!(
            second
                .claim_delivery(id, second.instance(), later, later + minutes(1))
                .unwrap()
        );
        // A failed attempt releases the claim and reschedules.
        second
            .delivery_failed(id, "HTTP 503", Some(later + minutes(5)))
            .unwrap();
        assert!(
            !first
                .claim_delivery(id, first.instance(), later, later + minutes(1))
                .unwrap(),
            "not due before its retry"
        );
        assert!(
            first
                .claim_delivery(id, first.instance(), later + minutes(5), later + minutes(6))
                .unwrap()
        );
    });
}

#[test]
fn instances_with_a_recent_heartbeat_are_live() {
    each_backend_twice(|first, second| {
        let instance = |store: &Store, at: DateTime<Utc>| Instance {
            id: store.instance().to_string(),
            hostname: String::from("host-a"),
            pid: 42,
            started_at: super::at(1),
            heartbeat_at: at,
        };
        first.heartbeat(&instance(first, at(1))).unwrap();
        second.heartbeat(&instance(second, at(1))).unwrap();
        first.heartbeat(&instance(first, at(3))).unwrap();
        let live = second.live_instances(at(2)).unwrap();
        assert_eq!(live.len(), 1);
        assert_eq!(live[0].id, first.instance());
        assert_eq!(live[0].heartbeat_at, at(3));
        assert_eq!(live[0].started_at, at(1));
        assert_eq!(second.live_instances(at(1)).unwrap().len(), 2);
    });
}

#[test]
fn the_leases_and_claims_of_a_dead_instance_can_be_freed_at_once() {
    each_backend_twice(|first, second| {
        let id = one_delivery(first);
        let now = at(21);
        // `store` leases the feed and claims the delivery, both granted.
        let take_both = |store: &Store| {
            assert!(matches!(
                store
                    .lease_feed(FEED, store.instance(), now, now + minutes(2), false)
                    .unwrap(),
                Lease::Granted(_)
            ));
            assert!(
                store
                    .claim_delivery(id, store.instance(), now, now + minutes(2))
                    .unwrap()
            );
        };
        take_both(first);
        assert_eq!(second.holders().unwrap(), [first.instance().to_string()]);
        assert_eq!(second.release_all(first.instance()).unwrap(), 2);
        assert!(second.holders().unwrap().is_empty());
        take_both(second);
    });
}

#[test]
fn an_instance_id_names_its_host_and_process() {
    let id = instance_id();
    let (host, pid) = instance_process(&id).unwrap();
    assert_eq!(host, hostname());
    assert_eq!(pid, std::process::id());
    assert_eq!(
        instance_process("db-host-7-4242-ABCDEF"),
        Some(("db-host-7", 4242))
    );
    assert_eq!(instance_process("nonsense"), None);
}
