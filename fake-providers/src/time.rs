//! Wall-clock formatting in Asia/Shanghai with std only.
//!
//! China has used a fixed UTC+8 without daylight saving since 1991, so a constant offset is exact
//! for every time these fakes will ever print, and no time-zone database is needed.

use std::time::{SystemTime, UNIX_EPOCH};

const SHANGHAI_OFFSET_SECS: i64 = 8 * 3600;
const SECS_PER_DAY: i64 = 86_400;

/// Whole unix seconds of `t`, rounded down (also before 1970, for completeness).
pub(crate) fn unix_secs(t: SystemTime) -> i64 {
    match t.duration_since(UNIX_EPOCH) {
        Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        Err(before) => {
            let d = before.duration();
            let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
            if d.subsec_nanos() > 0 {
                -secs.saturating_add(1)
            } else {
                -secs
            }
        }
    }
}

/// `YYYY-MM-DD HH:MM:SS` in Shanghai local time, without an offset, as ebaas prints it.
pub(crate) fn shanghai_naive(unix: i64) -> String {
    let c = Civil::shanghai(unix);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

/// RFC 3339 in Shanghai local time with its `+08:00` offset, as appauth's `date-time` fields.
pub(crate) fn shanghai_rfc3339(unix: i64) -> String {
    let c = Civil::shanghai(unix);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+08:00",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    )
}

struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
}

impl Civil {
    fn shanghai(unix: i64) -> Civil {
        let local = unix.saturating_add(SHANGHAI_OFFSET_SECS);
        let (year, month, day) = civil_from_days(local.div_euclid(SECS_PER_DAY));
        let secs = local.rem_euclid(SECS_PER_DAY);
        Civil {
            year,
            month,
            day,
            hour: secs / 3600,
            minute: secs % 3600 / 60,
            second: secs % 60,
        }
    }
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn epoch_is_eight_in_the_morning_in_shanghai() {
        assert_eq!(shanghai_naive(0), "1970-01-01 08:00:00");
        assert_eq!(shanghai_rfc3339(0), "1970-01-01T08:00:00+08:00");
    }

    #[test]
    fn matches_the_ebaas_page_sample() {
        // The page's sample token has iat 1623998605 and the response says it expires
        // "2021-06-18 16:43:26": two hours later, give or take the second the server took.
        assert_eq!(shanghai_naive(1_623_998_605 + 7200), "2021-06-18 16:43:25");
    }

    #[test]
    fn crosses_day_month_year_and_leap_day_boundaries() {
        // 2023-12-31 16:00:00 UTC is already New Year in Shanghai.
        assert_eq!(shanghai_naive(1_704_038_400), "2024-01-01 00:00:00");
        assert_eq!(shanghai_naive(1_704_038_399), "2023-12-31 23:59:59");
        // 2024-02-29 00:00:00 +08:00 (leap day) and 2000-02-29 (400-year rule).
        assert_eq!(shanghai_naive(1_709_136_000), "2024-02-29 00:00:00");
        assert_eq!(shanghai_naive(951_753_600), "2000-02-29 00:00:00");
        // Before the epoch.
        assert_eq!(shanghai_naive(-8 * 3600 - 1), "1969-12-31 23:59:59");
    }

    #[test]
    fn unix_secs_rounds_down() {
        let t = UNIX_EPOCH + Duration::from_millis(1_999);
        assert_eq!(unix_secs(t), 1);
        let before = UNIX_EPOCH - Duration::from_millis(500);
        assert_eq!(unix_secs(before), -1);
    }
}
