package expression

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// .NET custom date and time format strings, as FormatDateTime takes them
// (invariant culture): the specifiers y, M, d, h, H, m, s, f, F, t, z, K,
// quoted literals, \ escapes and % before a lone specifier.

type netToken struct {
	spec string // "yyyy", "MM", … or "" for a literal
	lit  string
}

var standardFormats = map[string]string{
	"o": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
	"O": "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
	"s": "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
	"u": "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
	"d": "MM/dd/yyyy",
	"D": "dddd, dd MMMM yyyy",
}

// maxRun is the longest run of each specifier letter .NET gives a meaning.
var maxRun = map[byte]int{'y': 5, 'M': 4, 'd': 4, 'h': 2, 'H': 2, 'm': 2, 's': 2, 'f': 7, 'F': 7, 't': 2, 'z': 3, 'K': 1}

func netTokens(format string) ([]netToken, error) {
	if format == "" {
		return nil, errors.New("empty format")
	}
	if std, ok := standardFormats[format]; ok {
		format = std
	} else if len(format) == 1 && format != "K" && format != "z" {
		return nil, fmt.Errorf("standard format %q is not supported; write a custom format such as yyyy-MM-dd", format)
	}
	var toks []netToken
	lit := func(s string) {
		if n := len(toks); n > 0 && toks[n-1].spec == "" {
			toks[n-1].lit += s
			return
		}
		toks = append(toks, netToken{lit: s})
	}
	for i := 0; i < len(format); {
		c := format[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(format[i+1:], c)
			if j < 0 {
				return nil, fmt.Errorf("the quote at character %d is not closed", i+1)
			}
			lit(format[i+1 : i+1+j])
			i += j + 2
		case c == '\\':
			if i+1 >= len(format) {
				return nil, errors.New("format ends with \\")
			}
			lit(format[i+1 : i+2])
			i += 2
		case c == '%':
			i++
		case maxRun[c] > 0:
			j := i
			for j < len(format) && format[j] == c {
				j++
			}
			if j-i > maxRun[c] && c != 'y' {
				return nil, fmt.Errorf("%q is too long a run of %c", format[i:j], c)
			}
			toks = append(toks, netToken{spec: format[i:j]})
			i = j
		default:
			lit(format[i : i+1])
			i++
		}
	}
	return toks, nil
}

var (
	monthNames = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	dayNames   = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
)

func formatNetDate(t time.Time, format string) (string, error) {
	toks, err := netTokens(format)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	pad := func(v, w int) { fmt.Fprintf(&b, "%0*d", w, v) }
	for _, tk := range toks {
		s := tk.spec
		switch {
		case s == "":
			b.WriteString(tk.lit)
		case s[0] == 'y':
			switch len(s) {
			case 1:
				b.WriteString(strconv.Itoa(t.Year() % 100))
			case 2:
				pad(t.Year()%100, 2)
			default:
				pad(t.Year(), len(s))
			}
		case s[0] == 'M':
			switch len(s) {
			case 1, 2:
				pad(int(t.Month()), len(s))
			case 3:
				b.WriteString(monthNames[t.Month()-1][:3])
			default:
				b.WriteString(monthNames[t.Month()-1])
			}
		case s[0] == 'd':
			switch len(s) {
			case 1, 2:
				pad(t.Day(), len(s))
			case 3:
				b.WriteString(dayNames[t.Weekday()][:3])
			default:
				b.WriteString(dayNames[t.Weekday()])
			}
		case s[0] == 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			pad(h, len(s))
		case s[0] == 'H':
			pad(t.Hour(), len(s))
		case s[0] == 'm':
			pad(t.Minute(), len(s))
		case s[0] == 's':
			pad(t.Second(), len(s))
		case s[0] == 'f' || s[0] == 'F':
			frac := fmt.Sprintf("%09d", t.Nanosecond())[:len(s)]
			if s[0] == 'F' {
				frac = strings.TrimRight(frac, "0")
				if frac == "" {
					// .NET drops the fraction and a "." literal right before it.
					str := b.String()
					if strings.HasSuffix(str, ".") {
						b.Reset()
						b.WriteString(str[:len(str)-1])
					}
				}
			}
			b.WriteString(frac)
		case s[0] == 't':
			ampm := "AM"
			if t.Hour() >= 12 {
				ampm = "PM"
			}
			b.WriteString(ampm[:len(s)])
		case s[0] == 'z':
			_, off := t.Zone()
			sign := '+'
			if off < 0 {
				sign, off = '-', -off
			}
			b.WriteRune(sign)
			switch len(s) {
			case 1:
				b.WriteString(strconv.Itoa(off / 3600))
			case 2:
				pad(off/3600, 2)
			default:
				pad(off/3600, 2)
				b.WriteByte(':')
				pad(off%3600/60, 2)
			}
		case s[0] == 'K':
			if _, off := t.Zone(); off == 0 && t.Location() == time.UTC {
				b.WriteByte('Z')
			} else {
				b.WriteString(t.Format("-07:00"))
			}
		}
	}
	return b.String(), nil
}

func parseNetDate(src, format string) (time.Time, error) {
	toks, err := netTokens(format)
	if err != nil {
		return time.Time{}, err
	}
	year, month, day, hour, minute, sec, nsec := 1, 1, 1, 0, 0, 0, 0
	pm, hasAMPM, hour12 := false, false, false
	loc := time.UTC
	pos := 0
	num := func(minW, maxW int) (int, error) {
		j := pos
		for j < len(src) && j-pos < maxW && src[j] >= '0' && src[j] <= '9' {
			j++
		}
		if j-pos < minW {
			return 0, fmt.Errorf("expected %d digits at position %d", minW, pos+1)
		}
		v, _ := strconv.Atoi(src[pos:j])
		pos = j
		return v, nil
	}
	name := func(names []string, short bool) (int, error) {
		for i, n := range names {
			if short {
				n = n[:3]
			}
			if len(src)-pos >= len(n) && strings.EqualFold(src[pos:pos+len(n)], n) {
				pos += len(n)
				return i, nil
			}
		}
		return 0, fmt.Errorf("expected a name at position %d", pos+1)
	}
	for _, tk := range toks {
		s := tk.spec
		w := len(s)
		var err error
		switch {
		case s == "":
			if !strings.HasPrefix(src[pos:], tk.lit) {
				return time.Time{}, fmt.Errorf("expected %q at position %d", tk.lit, pos+1)
			}
			pos += len(tk.lit)
		case s[0] == 'y':
			switch w {
			case 1:
				year, err = num(1, 2)
				year += 2000
			case 2:
				year, err = num(2, 2)
				if year < 50 {
					year += 2000
				} else {
					year += 1900
				}
			default:
				year, err = num(w, w)
			}
		case s[0] == 'M' && w <= 2:
			month, err = num(w, 2)
		case s[0] == 'M':
			month, err = name(monthNames, w == 3)
			month++
		case s[0] == 'd' && w <= 2:
			day, err = num(w, 2)
		case s[0] == 'd':
			_, err = name(dayNames, w == 3)
		case s[0] == 'h':
			hour, err = num(w, 2)
			hour12 = true
		case s[0] == 'H':
			hour, err = num(w, 2)
		case s[0] == 'm':
			minute, err = num(w, 2)
		case s[0] == 's':
			sec, err = num(w, 2)
		case s[0] == 'f' || s[0] == 'F':
			start := pos
			minW := w
			if s[0] == 'F' {
				minW = 0
			}
			var v int
			v, err = num(minW, w)
			if err == nil {
				for d := pos - start; d < 9; d++ {
					v *= 10
				}
				nsec = v
			}
		case s[0] == 't':
			var i int
			i, err = name([]string{"AM", "PM"}, false)
			if err != nil && w == 1 {
				i, err = name([]string{"A", "P"}, false)
			}
			pm, hasAMPM = i == 1, true
		case s[0] == 'z' || s[0] == 'K':
			if s[0] == 'K' && pos < len(src) && (src[pos] == 'Z' || src[pos] == 'z') {
				pos++
				continue
			}
			if s[0] == 'K' && (pos == len(src) || (src[pos] != '+' && src[pos] != '-')) {
				continue
			}
			if pos >= len(src) || (src[pos] != '+' && src[pos] != '-') {
				return time.Time{}, fmt.Errorf("expected an offset such as -08:00 at position %d", pos+1)
			}
			neg := src[pos] == '-'
			pos++
			var h, m int
			if h, err = num(1, 2); err == nil && (w == 3 || s[0] == 'K') {
				if pos < len(src) && src[pos] == ':' {
					pos++
				}
				m, err = num(2, 2)
			}
			off := h*3600 + m*60
			if neg {
				off = -off
			}
			loc = time.FixedZone("", off)
		}
		if err != nil {
			return time.Time{}, err
		}
	}
	if pos != len(src) {
		return time.Time{}, fmt.Errorf("unexpected %q at position %d", src[pos:], pos+1)
	}
	if hour12 || hasAMPM {
		if hour > 12 {
			return time.Time{}, fmt.Errorf("hour %d with AM/PM", hour)
		}
		hour %= 12
		if pm {
			hour += 12
		}
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc)
	if t.Day() != day || int(t.Month()) != month || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, errors.New("not a valid date")
	}
	return t, nil
}
