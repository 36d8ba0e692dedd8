//! `Interval`: a length of time, as Python's `datetime.timedelta` holds it
//! (whole days, seconds within the day, microseconds) and as SQLAlchemy's
//! `Interval` stores it: PostgreSQL's own INTERVAL, and elsewhere a
//! DATETIME that far from the epoch 1970-01-01 00:00:00.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

const MICROS_PER_SECOND: i64 = 1_000_000;
const MICROS_PER_DAY: i64 = 86_400 * MICROS_PER_SECOND;

/// The moment SQLAlchemy's `Interval` counts from where the database has
/// no interval type (`Interval.epoch`).
pub fn epoch() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .expect("the epoch is a valid date")
}

/// The DATETIME that stands for `delta`, or none past the years a date holds.
pub fn to_epoch_datetime(delta: TimeDelta) -> Option<NaiveDateTime> {
    epoch().checked_add_signed(delta)
}

/// As `to_epoch_datetime`, or why the interval cannot be stored so.
pub fn as_epoch_datetime(delta: TimeDelta) -> Result<NaiveDateTime, String> {
    to_epoch_datetime(delta)
        .filter(|dt| (1..=9999).contains(&chrono::Datelike::year(dt)))
        .ok_or_else(|| {
            format!(
                "the interval '{}' is past the dates a DATETIME holds (years 1 to 9999, counted from 1970-01-01 as SQLAlchemy's Interval stores it)",
                python_str(delta)
            )
        })
}

/// The interval a stored DATETIME stands for.
pub fn from_epoch_datetime(dt: NaiveDateTime) -> TimeDelta {
    dt - epoch()
}

/// A length in whole microseconds (Python's timedelta keeps no finer part).
pub fn total_micros(delta: TimeDelta) -> i64 {
    delta
        .num_microseconds()
        .unwrap_or(if delta < TimeDelta::zero() {
            i64::MIN
        } else {
            i64::MAX
        })
}

pub fn from_micros(micros: i64) -> TimeDelta {
    TimeDelta::microseconds(micros)
}

/// Python's normal form: (days, seconds, microseconds) with the seconds in
/// 0..86400 and the microseconds in 0..1000000; only the days carry a sign.
pub fn python_parts(delta: TimeDelta) -> (i64, i64, i64) {
    let micros = total_micros(delta);
    let days = micros.div_euclid(MICROS_PER_DAY);
    let rest = micros.rem_euclid(MICROS_PER_DAY);
    (days, rest / MICROS_PER_SECOND, rest % MICROS_PER_SECOND)
}

/// Python's `str(timedelta)`: `1 day, 2:03:04`, `-1 day, 23:00:00`,
/// `0:00:00.500000`.
pub fn python_str(delta: TimeDelta) -> String {
    let (days, seconds, micros) = python_parts(delta);
    let mut out = String::new();
    if days != 0 {
        let plural = if days.abs() == 1 { "" } else { "s" };
        out.push_str(&format!("{days} day{plural}, "));
    }
    out.push_str(&format!(
        "{}:{:02}:{:02}",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    ));
    if micros != 0 {
        out.push_str(&format!(".{micros:06}"));
    }
    out
}

/// An interval from the keywords Python's `timedelta(..)` takes, each a
/// whole or fractional number: `weeks`, `days`, `hours`, `minutes`,
/// `seconds`, `milliseconds`, `microseconds`. Rounded to the microsecond,
/// as Python rounds; none past the ±999999999 days Python allows.
pub fn from_units(units: &[(&str, f64)]) -> Result<TimeDelta, String> {
    let mut micros = 0f64;
    for (name, amount) in units {
        let scale = match *name {
            "weeks" => 7.0 * MICROS_PER_DAY as f64,
            "days" => MICROS_PER_DAY as f64,
            "hours" => 3600.0 * MICROS_PER_SECOND as f64,
            "minutes" => 60.0 * MICROS_PER_SECOND as f64,
            "seconds" => MICROS_PER_SECOND as f64,
            "milliseconds" => 1000.0,
            "microseconds" => 1.0,
            other => {
                return Err(format!(
                    "timedelta() has no `{other}`: it takes weeks, days, hours, minutes, seconds, milliseconds and microseconds"
                ));
            }
        };
        if !amount.is_finite() {
            return Err(format!("timedelta() cannot take {name} = {amount}"));
        }
        micros += amount * scale;
    }
    let micros = micros.round_ties_even();
    let limit = 999_999_999f64 * MICROS_PER_DAY as f64 + (MICROS_PER_DAY - 1) as f64;
    if micros.abs() > limit {
        return Err("timedelta() is past the ±999999999 days Python allows".into());
    }
    Ok(from_micros(micros as i64))
}

/// An interval as text: Python's `str(timedelta)` (`1 day, 2:03:04`,
/// `-1 day, 23:00:00`, `2:03:04.5`) and PostgreSQL's (`1 day 02:03:04`,
/// `-1 days +23:00:00`, `3 days`).
pub fn parse(text: &str) -> Option<TimeDelta> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let (days, clock) = match text.split_once("day") {
        Some((days, rest)) => {
            let days: i64 = days.trim().parse().ok()?;
            let rest = rest.strip_prefix('s').unwrap_or(rest);
            let rest = rest.trim_start_matches(',').trim();
            (days, (!rest.is_empty()).then_some(rest))
        }
        None => (0, Some(text)),
    };
    let clock = match clock {
        None => 0,
        Some(clock) => {
            let (negative, clock) = match clock.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, clock.strip_prefix('+').unwrap_or(clock)),
            };
            let mut parts = clock.split(':');
            let hours: i64 = parts.next()?.parse().ok()?;
            let minutes: i64 = parts.next()?.parse().ok()?;
            let seconds = parts.next().unwrap_or("0");
            if parts.next().is_some() || hours < 0 || !(0..60).contains(&minutes) {
                return None;
            }
            let (whole, fraction) = seconds.split_once('.').unwrap_or((seconds, ""));
            let whole: i64 = whole.parse().ok()?;
            if whole >= 60 || fraction.len() > 6 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let fraction: i64 = format!("{fraction:0<6}").parse().ok()?;
            let micros = ((hours * 60 + minutes) * 60 + whole) * MICROS_PER_SECOND + fraction;
            if negative { -micros } else { micros }
        }
    };
    Some(from_micros(
        days.checked_mul(MICROS_PER_DAY)?.checked_add(clock)?,
    ))
}

/// PostgreSQL's interval parts as the Python driver reads them: a year is
/// 365 days and a month 30 (psycopg's rule), the time as it is.
pub fn from_postgres(months: i32, days: i32, micros: i64) -> TimeDelta {
    let months = i64::from(months);
    let days = (months / 12) * 365 + (months % 12) * 30 + i64::from(days);
    from_micros(days * MICROS_PER_DAY + micros)
}

/// The parts psycopg sends for a timedelta: its days, and its seconds and
/// microseconds as the time; no months.
pub fn to_postgres(delta: TimeDelta) -> Option<(i32, i64)> {
    let (days, seconds, micros) = python_parts(delta);
    Some((
        i32::try_from(days).ok()?,
        seconds * MICROS_PER_SECOND + micros,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hms(days: i64, h: i64, m: i64, s: i64, us: i64) -> TimeDelta {
        from_micros(((days * 24 + h) * 3600 + m * 60 + s) * MICROS_PER_SECOND + us)
    }

    #[test]
    fn prints_as_python_does() {
        let cases = [
            (hms(1, 2, 3, 4, 0), "1 day, 2:03:04"),
            (hms(0, -1, 0, 0, 0), "-1 day, 23:00:00"),
            (hms(2, 0, 0, 0, 5), "2 days, 0:00:00.000005"),
            (hms(0, 0, 0, 0, 0), "0:00:00"),
            (hms(-800, 0, 0, 0, 0), "-800 days, 0:00:00"),
            (hms(0, 25, 0, 0, 0), "1 day, 1:00:00"),
            (hms(0, 0, 0, 5, 500_000), "0:00:05.500000"),
        ];
        for (delta, text) in cases {
            assert_eq!(python_str(delta), text);
            assert_eq!(parse(text), Some(delta), "{text}");
        }
    }

    #[test]
    fn reads_postgres_text_and_parts() {
        assert_eq!(parse("1 day 02:03:04"), Some(hms(1, 2, 3, 4, 0)));
        assert_eq!(parse("-1 days +23:00:00"), Some(hms(0, -1, 0, 0, 0)));
        assert_eq!(parse("3 days"), Some(hms(3, 0, 0, 0, 0)));
        assert_eq!(parse("-02:00:00"), Some(hms(0, -2, 0, 0, 0)));
        assert_eq!(parse("2:03"), Some(hms(0, 2, 3, 0, 0)));
        for bad in [
            "",
            "abc",
            "1:60:00",
            "1 day, x",
            "1:00:00:00",
            "0:00:00.1234567",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert_eq!(from_postgres(14, 3, 0), hms(428, 0, 0, 0, 0));
        assert_eq!(from_postgres(-14, 0, 0), hms(-425, 0, 0, 0, 0));
        assert_eq!(to_postgres(hms(0, -1, 0, 0, 0)), Some((-1, 82_800_000_000)));
    }

    #[test]
    fn builds_from_python_keywords() {
        assert_eq!(
            from_units(&[("days", 1.0), ("hours", 2.0)]),
            Ok(hms(1, 2, 0, 0, 0))
        );
        assert_eq!(from_units(&[("weeks", 0.5)]), Ok(hms(3, 12, 0, 0, 0)));
        assert_eq!(from_units(&[("hours", -1.0)]), Ok(hms(0, -1, 0, 0, 0)));
        assert!(from_units(&[("months", 1.0)]).is_err());
        assert!(from_units(&[("days", 1e10)]).is_err());
        assert_eq!(
            to_epoch_datetime(hms(1, 2, 3, 4, 5)).map(from_epoch_datetime),
            Some(hms(1, 2, 3, 4, 5))
        );
    }
}
