package expression

import (
	"testing"
	"time"
)

func TestDates(t *testing.T) {
	runEval(t, []evalTest{
		// MS: CDate examples 1–3: the UTC equivalent is returned.
		{"MS CDate 1", `CDate([StatusHireDate])`, attrs{"StatusHireDate": one("2020-03-16-07:00")}, one("3/16/2020 7:00:00 AM")},
		{"MS CDate 2", `CDate("2021-06-30+08:00")`, nil, one("6/29/2021 4:00:00 PM")},
		{"MS CDate 3", `CDate("2009-06-15T01:45:30-07:00")`, nil, one("6/15/2009 8:45:30 AM")},
		{"CDate null", `CDate([x])`, attrs{}, nil},
		// MS: DateAdd example 1, each row of the table.
		{"MS DateAdd 7 days", `DateAdd("d", 7, CDate([StatusHireDate]))`, attrs{"StatusHireDate": one("2012-03-16-07:00")}, one("3/23/2012 7:00:00 AM")},
		{"MS DateAdd -10 days", `DateAdd("d", -10, CDate([StatusHireDate]))`, attrs{"StatusHireDate": one("2012-03-16-07:00")}, one("3/6/2012 7:00:00 AM")},
		{"MS DateAdd 2 weeks", `DateAdd("ww", 2, CDate([StatusHireDate]))`, attrs{"StatusHireDate": one("2012-03-16-07:00")}, one("3/30/2012 7:00:00 AM")},
		{"MS DateAdd 10 months", `DateAdd("m", 10, CDate([StatusHireDate]))`, attrs{"StatusHireDate": one("2012-03-16-07:00")}, one("1/16/2013 7:00:00 AM")},
		{"MS DateAdd 2 years", `DateAdd("yyyy", 2, CDate([StatusHireDate]))`, attrs{"StatusHireDate": one("2012-03-16-07:00")}, one("3/16/2014 7:00:00 AM")},
		{"DateAdd month clamps", `DateAdd("m", 1, CDate("2021-01-31"))`, nil, one("2/28/2021 12:00:00 AM")},
		{"DateAdd hours", `DateAdd("h", 25, CDate("2021-01-31"))`, nil, one("2/1/2021 1:00:00 AM")},
		// MS: DateDiff example 1, each row of the table.
		{"MS DateDiff positive days", `DateDiff("d", CDate("2021-08-18+08:00"), CDate("2021-08-31+08:00"))`, nil, one("13")},
		{"MS DateDiff negative days", `DateDiff("d", "8/25/2021 5:41:18 PM", CDate("2012-03-16-07:00"))`, nil, one("-3449")},
		{"MS DateDiff weeks", `DateDiff("ww", "8/25/2021 5:41:18 PM", CDate("2012-03-16-07:00"))`, nil, one("-493")},
		{"MS DateDiff months", `DateDiff("m", "8/25/2021 5:41:18 PM", CDate("2012-03-16-07:00"))`, nil, one("-113")},
		{"MS DateDiff years", `DateDiff("yyyy", "8/25/2021 5:41:18 PM", CDate("2012-03-16-07:00"))`, nil, one("-9")},
		{"MS DateDiff same", `DateDiff("d", CDate("2021-08-31+08:00"), CDate("2021-08-31+08:00"))`, nil, one("0")},
		{"MS DateDiff hours", `DateDiff("h", CDate("2021-08-24"), CDate("2021-08-25"))`, nil, one("24")},
		{"MS DateDiff minutes", `DateDiff("n", CDate("2021-08-24"), CDate("2021-08-25"))`, nil, one("1440")},
		{"MS DateDiff seconds", `DateDiff("s", CDate("2021-08-24"), CDate("2021-08-25"))`, nil, one("86400")},
		// MS: DateFromNum — DateFromNum(129699324000000000) is January 1, 2012 at 11:00 PM.
		{"MS DateFromNum", `DateFromNum(129699324000000000)`, nil, one("1/1/2012 11:00:00 PM")},
		{"MS DateFromNum attribute", `DateFromNum([lastLogonTimestamp])`, attrs{"lastLogonTimestamp": one("129699324000000000")}, one("1/1/2012 11:00:00 PM")},
		{"NumFromDate round trip", `NumFromDate("2012-01-01T23:00:00Z")`, nil, one("129699324000000000")},
		// MS: FormatDateTime — "Output date as a string in a certain format".
		{"MS FormatDateTime", `FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")`, attrs{"extensionAttribute1": one("20150123105347.1Z")}, one("2015-01-23")},
		// MS: NumFromDate — the Workday example. 2020-12-31 23:59:59-08:00 is
		// 2021-01-01T07:59:59Z, 13253961599 s after 1601-01-01.
		{"MS NumFromDate Workday", `NumFromDate(Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00"))`,
			attrs{"ContractEndDate": one("2020-12-31-08:00")}, one("132539615990000000")},
		// MS: NumFromDate — the SuccessFactors example.
		{"MS NumFromDate SuccessFactors", `NumFromDate(Join("",FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd")," 23:59:59-08:00"))`,
			attrs{"endDate": one("12/31/2020 12:00:00 AM")}, one("132539615990000000")},
		{"FormatDateTime names", `FormatDateTime("2021-06-30 16:05:09", , "yyyy-MM-dd HH:mm:ss", "dddd, d MMMM yyyy h:mm tt")`, nil, one("Wednesday, 30 June 2021 4:05 PM")},
		{"FormatDateTime offset kept", `FormatDateTime("2020-12-31-08:00", , "yyyy-MM-ddzzz", "yyyy-MM-ddTHH:mm:sszzz")`, nil, one("2020-12-31T00:00:00-08:00")},
		{"FormatDateTime to UTC", `FormatDateTime("2020-12-31-08:00", "AdjustToUniversal", "yyyy-MM-ddzzz", "yyyy-MM-dd HH:mm")`, nil, one("2020-12-31 08:00")},
		{"FormatDateTime quoted literal", `FormatDateTime("2020-12-31", , "yyyy-MM-dd", "'Q:'yyyy\\MM")`, nil, one("Q:2020M12")},
		{"FormatDateTime null", `FormatDateTime([x], , "yyyy", "yyyy")`, attrs{}, nil},
	})
	at := time.Date(2021, 7, 2, 15, 33, 38, 0, time.FixedZone("", 3600))
	// MS: Now — example value returned 7/2/2021 3:33:38 PM (here the clock is at +01:00, so UTC is 2:33:38 PM).
	e, _ := Parse(`Now()`)
	if v, err := e.EvalWith(nil, Options{Now: func() time.Time { return at }}); err != nil || v.String() != "7/2/2021 2:33:38 PM" {
		t.Errorf("Now() = %v, %v", v, err)
	}
	// MS: DateDiff example 2 — the Switch/IIF that enables an account when the hire date is within five days.
	e, err := Parse(`Switch([Active], , 
  "1", IIF(DateDiff("d", Now(), CDate([StatusHireDate])) > 5, "False", "True"), 
  "0", "False")`)
	if err != nil {
		t.Fatal(err)
	}
	now := Options{Now: func() time.Time { return time.Date(2021, 8, 20, 12, 0, 0, 0, time.UTC) }}
	for hire, want := range map[string]string{"2021-08-23": "True", "2021-09-30": "False"} {
		v, err := e.EvalWith(attrs{"Active": one("1"), "StatusHireDate": one(hire)}, now)
		if err != nil || v.String() != want {
			t.Errorf("hire %s: %v, %v, want %s", hire, v, err, want)
		}
	}
	for _, bad := range []string{`CDate("yesterday")`, `FormatDateTime("2020", , "yyyy-MM", "yyyy")`, `DateFromNum([x])`} {
		evalErr(t, bad, attrs{"x": one("x")}, Options{})
	}
	for _, bad := range []string{`DateAdd("q", 1, Now())`, `FormatDateTime([x], , "'yyyy", "yyyy")`, `FormatDateTime([x], , , "yyyy")`, `DateFromNum("x")`} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%s): want an error", bad)
		}
	}
}
