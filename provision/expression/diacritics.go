package expression

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// diacriticTable is Microsoft's NormalizeDiacritics table, copied verbatim
// from the function reference: characters separated by ", ", then the
// character they become. Entries of several code points (a base letter and
// combining marks, such as "ā́") need only their first code point mapped:
// the combining marks are removed afterwards.
var diacriticTable = [][2]string{
	{"ä, à, â, ã, å, á, ą, ă, ā, ā́, ā̀, ā̂, ā̃, ǟ, ā̈, ǡ, a̱, å̄", "a"},
	{"Ä, À, Â, Ã, Å, Á, Ą, Ă, Ā, Ā́, Ā̀, Ā̂, Ā̃, Ǟ, Ā̈, Ǡ, A̱, Å̄", "A"},
	{"æ, ǣ", "ae"},
	{"Æ, Ǣ", "AE"},
	{"ç, č, ć, c̄, c̱", "c"},
	{"Ç, Č, Ć, C̄, C̱", "C"},
	{"ď, d̄, ḏ", "d"},
	{"Ď, D̄, Ḏ", "D"},
	{"ë, è, é, ê, ę, ě, ė, ē, ḗ, ḕ, ē̂, ē̃, ê̄, e̱, ë̄, e̊̄", "e"},
	{"Ë, È, É, Ê, Ę, Ě, Ė, Ē, Ḗ, Ḕ, Ē̂, Ē̃, Ê̄, E̱, Ë̄, E̊̄", "E"},
	{"ğ, ḡ, g̱", "g"},
	{"Ğ, Ḡ, G̱", "G"},
	{"ï, î, ì, í, ı, ī, ī́, ī̀, ī̂, ī̃, i̱", "i"},
	{"Ï, Î, Ì, Í, İ, Ī, Ī́, Ī̀, Ī̂, Ī̃, I̱", "I"},
	{"ľ, ł, l̄, ḹ, ḻ", "l"},
	{"Ł, Ľ, L̄, Ḹ, Ḻ", "L"},
	{"ñ, ń, ň, n̄, ṉ", "n"},
	{"Ñ, Ń, Ň, N̄, Ṉ", "N"},
	{"ö, ò, ő, õ, ô, ó, ō, ṓ, ṑ, ō̂, ō̃, ȫ, ō̈, ǭ, ȭ, ȱ, o̱", "o"},
	{"Ö, Ò, Ő, Õ, Ô, Ó, Ō, Ṓ, Ṑ, Ō̂, Ō̃, Ȫ, Ō̈, Ǭ, Ȭ, Ȱ, O̱", "O"},
	{"ø, ø̄, œ̄", "oe"},
	{"Ø, Ø̄, Œ̄", "OE"},
	{"ř, r̄, ṟ, ṝ", "r"},
	{"Ř, R̄, Ṟ, Ṝ", "R"},
	{"ß", "ss"},
	{"š, ś, ș, ş, s̄, s̱", "s"},
	{"Š, Ś, Ș, Ş, S̄, S̱", "S"},
	{"ť, ț, t̄, ṯ", "t"},
	{"Ť, Ț, T̄, Ṯ", "T"},
	{"ü, ù, û, ú, ů, ű, ū, ū́, ū̀, ū̂, ū̃, u̇̄, ǖ, ṻ, ṳ̄, u̱", "u"},
	{"Ü, Ù, Û, Ú, Ů, Ű, Ū, Ū́, Ū̀, Ū̂, Ū̃, U̇̄, Ǖ, Ṻ, Ṳ̄, U̱", "U"},
	{"ÿ, ý, ȳ, ȳ́, ȳ̀, ȳ̃, y̱", "y"},
	{"Ÿ, Ý, Ȳ, Ȳ́, Ȳ̀, Ȳ̃, Y̱", "Y"},
	{"ź, ž, ż, z̄, ẕ", "z"},
	{"Ź, Ž, Ż, Z̄, Ẕ", "Z"},
}

var diacritics = buildDiacritics()

func buildDiacritics() map[rune]string {
	m := make(map[rune]string)
	for _, row := range diacriticTable {
		for _, ch := range strings.Split(row[0], ", ") {
			r, _ := utf8.DecodeRuneInString(ch)
			if r >= utf8.RuneSelf {
				m[r] = row[1]
			}
		}
	}
	return m
}

// normalizeDiacritics maps each character of Microsoft's table and removes
// combining marks (Unicode category Mn), so a letter written with combining
// accents becomes its base letter. Characters outside the table are kept.
func normalizeDiacritics(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if rep, ok := diacritics[r]; ok {
			b.WriteString(rep)
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// NormalizeDiacritics(source): see normalizeDiacritics.
func evalNormalizeDiacritics(ev *evaluator, c *callNode) (Value, error) {
	src, err := ev.arg(c, 0)
	if err != nil {
		return Value{}, err
	}
	return src.mapStrings(normalizeDiacritics), nil
}
