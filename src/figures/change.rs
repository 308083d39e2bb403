//! The change decision: what one observation does to a figure's state.

use super::{Decision, Value};
use crate::config::{self, AlertOn, MinChange};

/// Compares `candidate` with the figure's `current` state.
pub(crate) fn decide(
    figure: &config::Figure,
    current: Option<&Value>,
    candidate: &Value,
) -> Decision {
    let Some(current) = current else {
        return Decision::FirstSeen;
    };
    if candidate.published < current.published {
        return Decision::Older;
    }
    // Same number, whatever the qualifier: not a change.
    if candidate.value == current.value {
        return Decision::Unchanged;
    }
    let absolute = candidate.value - current.value;
    let relative = (current.value != 0.0).then(|| absolute / current.value);
    let direction_ok = match figure.alert_on {
        AlertOn::Change => true,
        AlertOn::Increase => absolute > 0.0,
        AlertOn::Decrease => absolute < 0.0,
    };
    let big_enough = match figure.min_change {
        None => true,
        // From zero any change is infinitely large relative to it.
        Some(MinChange::Relative(r)) => relative.is_none_or(|rel| rel.abs() >= r),
        Some(MinChange::Absolute(a)) => absolute.abs() >= a,
    };
    if direction_ok && big_enough {
        Decision::Changed { absolute, relative }
    } else {
        Decision::Filtered { absolute }
    }
}
