package expression

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// dateLayout is how Entra writes a DateTime value: M/d/yyyy h:mm:ss tt, UTC.
const dateLayout = "1/2/2006 3:04:05 PM"

// dateInputs are the layouts CDate, DateAdd, DateDiff and NumFromDate read:
// ISO 8601 with and without time and offset (Workday's "2020-03-16-07:00"
// included) and Entra's own M/d/yyyy h:mm:ss tt. No offset means UTC.
var dateInputs = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02Z07:00",
	"2006-01-02",
	dateLayout,
	"1/2/2006 3:04 PM",
	"1/2/2006 15:04:05",
	"1/2/2006",
}

func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateInputs {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func formatDate(t time.Time) string { return t.UTC().Format(dateLayout) }

// dateArg evaluates argument i as a date; null is ok=false.
func (ev *evaluator) dateArg(c *callNode, i int) (time.Time, bool, error) {
	s, ok, err := ev.str(c, i)
	if err != nil || !ok {
		return time.Time{}, false, err
	}
	t, good := parseDate(s)
	if !good {
		return time.Time{}, false, c.errf("%s is %q, not a date; write ISO 8601 (2021-06-30T08:00:00+08:00) or use FormatDateTime", c.fn.param(i), s)
	}
	return t, true, nil
}

// Now(): the current UTC time as M/d/yyyy h:mm:ss tt, from Options.Now.
func evalNow(ev *evaluator, _ *callNode) (Value, error) {
	now := time.Now
	if ev.opt.Now != nil {
		now = ev.opt.Now
	}
	return StringValue(formatDate(now())), nil
}

// CDate(expression): the date as UTC, M/d/yyyy h:mm:ss tt. Null stays null.
func evalCDate(ev *evaluator, c *callNode) (Value, error) {
	t, ok, err := ev.dateArg(c, 0)
	if err != nil || !ok {
		return Value{}, err
	}
	return StringValue(formatDate(t)), nil
}

// checkInterval refuses a literal interval Microsoft does not list.
func checkInterval(c *callNode, _ int) string {
	if lit, ok := c.args[0].(*strNode); ok {
		if _, good := intervals[lit.val]; !good {
			return fmt.Sprintf("interval %q is not one of yyyy, m, d, ww, h, n, s", lit.val)
		}
	}
	return ""
}

var intervals = map[string]bool{"yyyy": true, "m": true, "d": true, "ww": true, "h": true, "n": true, "s": true}

func (ev *evaluator) interval(c *callNode) (string, error) {
	iv, _, err := ev.str(c, 0)
	if err != nil {
		return "", err
	}
	if !intervals[iv] {
		return "", c.errf("interval %q is not one of yyyy, m, d, ww, h, n, s", iv)
	}
	return iv, nil
}

// addMonths adds n months the way .NET does: the day is clamped to the end
// of a shorter month (Jan 31 + 1 month is Feb 28/29), not carried over.
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	total := int(m) - 1 + n
	y += total / 12
	total %= 12
	if total < 0 {
		total += 12
		y--
	}
	first := time.Date(y, time.Month(total+1), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1)
}

// DateAdd(interval, value, dateTime): dateTime plus value intervals
// (yyyy, m, d, ww, h, n, s), as M/d/yyyy h:mm:ss tt.
func evalDateAdd(ev *evaluator, c *callNode) (Value, error) {
	iv, err := ev.interval(c)
	if err != nil {
		return Value{}, err
	}
	n, err := ev.int(c, 1)
	if err != nil {
		return Value{}, err
	}
	t, ok, err := ev.dateArg(c, 2)
	if err != nil || !ok {
		return Value{}, err
	}
	if n > 1e6 || n < -1e6 {
		return Value{}, c.errf("value %d is out of range", n)
	}
	switch iv {
	case "yyyy":
		t = addMonths(t, 12*n)
	case "m":
		t = addMonths(t, n)
	case "d":
		t = t.AddDate(0, 0, n)
	case "ww":
		t = t.AddDate(0, 0, 7*n)
	case "h":
		t = t.Add(time.Duration(n) * time.Hour)
	case "n":
		t = t.Add(time.Duration(n) * time.Minute)
	case "s":
		t = t.Add(time.Duration(n) * time.Second)
	}
	return StringValue(formatDate(t)), nil
}

// civilDay is the number of days since 1970-01-01 of t's date.
func civilDay(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// DateDiff(interval, date1, date2): date2 − date1 counted in interval
// boundaries crossed, as VBA's DateDiff counts (Microsoft's table: from
// 8/25/2021 5:41:18 PM to 2012-03-16-07:00 is −3449 d, −493 ww, −113 m,
// −9 yyyy). Weeks start on Sunday.
func evalDateDiff(ev *evaluator, c *callNode) (Value, error) {
	iv, err := ev.interval(c)
	if err != nil {
		return Value{}, err
	}
	t1, ok1, err := ev.dateArg(c, 1)
	if err != nil {
		return Value{}, err
	}
	t2, ok2, err := ev.dateArg(c, 2)
	if err != nil {
		return Value{}, err
	}
	if !ok1 || !ok2 {
		return Value{}, nil
	}
	var d int64
	switch iv {
	case "yyyy":
		d = int64(t2.Year() - t1.Year())
	case "m":
		d = int64(t2.Year()-t1.Year())*12 + int64(t2.Month()-t1.Month())
	case "d":
		d = civilDay(t2) - civilDay(t1)
	case "ww":
		w := func(t time.Time) int64 { return civilDay(t) - int64(t.Weekday()) }
		d = (w(t2) - w(t1)) / 7
	case "h":
		d = floorDiv(t2.Unix(), 3600) - floorDiv(t1.Unix(), 3600)
	case "n":
		d = floorDiv(t2.Unix(), 60) - floorDiv(t1.Unix(), 60)
	case "s":
		d = t2.Unix() - t1.Unix()
	}
	return StringValue(strconv.FormatInt(d, 10)), nil
}

// fileTimeEpoch is 1601-01-01 UTC in Unix seconds; Active Directory dates
// are 100-nanosecond intervals since then.
const fileTimeEpoch = -11644473600

// DateFromNum(value): an Active Directory date (lastLogonTimestamp,
// accountExpires) as M/d/yyyy h:mm:ss tt, UTC. Null stays null.
func evalDateFromNum(ev *evaluator, c *callNode) (Value, error) {
	s, ok, err := ev.str(c, 0)
	if err != nil || !ok {
		return Value{}, err
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return Value{}, c.errf("value is %q; it must be an Active Directory date (100-ns intervals since 1601)", s)
	}
	t := time.Unix(fileTimeEpoch+n/1e7, (n%1e7)*100)
	return StringValue(formatDate(t)), nil
}

// NumFromDate(value): the ISO 8601 date as an Active Directory date.
func evalNumFromDate(ev *evaluator, c *callNode) (Value, error) {
	t, ok, err := ev.dateArg(c, 0)
	if err != nil || !ok {
		return Value{}, err
	}
	secs := t.Unix() - fileTimeEpoch
	if secs < 0 || secs > math.MaxInt64/10_000_000-1 {
		return Value{}, c.errf("the date is outside the Active Directory date range")
	}
	return StringValue(strconv.FormatInt(secs*1e7+int64(t.Nanosecond()/100), 10)), nil
}

// FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat): source
// read with the .NET custom (or standard o, s, u, d, D) inputFormat and
// written with outputFormat. The offset read is kept; dateTimeStyles
// AdjustToUniversal converts to UTC; other styles are accepted and have no
// effect (white space around source is always allowed, as Entra's default
// styles allow it). Null stays null.
func evalFormatDateTime(ev *evaluator, c *callNode) (Value, error) {
	src, ok, err := ev.str(c, 0)
	if err != nil || !ok {
		return Value{}, err
	}
	styles, _, err := ev.str(c, 1)
	if err != nil {
		return Value{}, err
	}
	in, _, err := ev.str(c, 2)
	if err != nil {
		return Value{}, err
	}
	out, _, err := ev.str(c, 3)
	if err != nil {
		return Value{}, err
	}
	t, err := parseNetDate(strings.TrimSpace(src), in)
	if err != nil {
		return Value{}, &EvalError{Function: c.fn.name, Msg: fmt.Sprintf("source %q does not match inputFormat %q", src, in), Err: err}
	}
	if strings.Contains(styles, "AdjustToUniversal") {
		t = t.UTC()
	}
	s, err := formatNetDate(t, out)
	if err != nil {
		return Value{}, &EvalError{Function: c.fn.name, Msg: fmt.Sprintf("outputFormat %q", out), Err: err}
	}
	return StringValue(s), nil
}

func checkFormatDateTime(c *callNode, _ int) string {
	for _, i := range []int{2, 3} {
		if lit, ok := c.args[i].(*strNode); ok {
			if _, err := netTokens(lit.val); err != nil {
				return fmt.Sprintf("%s %s: %v", c.fn.params[i], quote(lit.val), err)
			}
		} else if !given(c, i) {
			return fmt.Sprintf("%s is required", c.fn.params[i])
		}
	}
	return ""
}
