package export

// systemd's command lines (systemd.service(5) "Command lines",
// systemd.syntax(7) "Quoting"), as systemd 252 reads them in three passes:
//
//  1. when the unit is loaded, the value is split into words: whitespace
//     separates them, '...' and "..." group (anywhere in a word, as in
//     sh), and C escapes (\n, \t, \\, \", \', \s, \xHH, \NNN, \uHHHH,
//     \UHHHHHHHH) work inside and outside quotes; a lone ; separates
//     commands and \; is a literal ";" word;
//  2. then specifiers are resolved in each word: %% is a literal %;
//  3. when the command runs, environment variables are expanded in the
//     arguments (not in the path that is executed): $$ is a literal $, a
//     word that is $NAME becomes the variable split at whitespace, and
//     ${NAME} inside a word becomes its value.
//
// So a literal % is always written %% and a literal $ in an argument $$,
// however the word is quoted. The executable's path gets % doubled but not
// $, and systemd refuses a path with control characters, quotes or
// backslashes in it ("Executable name contains special characters").

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ExecStart returns the value of an ExecStart= setting that makes systemd
// execute argv[0] with exactly the arguments argv[1:]. argv[0] must be an
// absolute path; an error says why a path or argument cannot be written.
func ExecStart(argv []string) (string, error) {
	if len(argv) == 0 {
		return "", fmt.Errorf("no program to run")
	}
	if err := checkExecPath(argv[0]); err != nil {
		return "", err
	}
	words := make([]string, len(argv))
	words[0] = quoteExecWord(argv[0], false)
	for i, a := range argv[1:] {
		if strings.IndexByte(a, 0) >= 0 {
			return "", fmt.Errorf("argument %d contains a NUL byte, which no command line can carry", i+1)
		}
		words[i+1] = quoteExecWord(a, true)
	}
	return strings.Join(words, " "), nil
}

// checkExecPath applies systemd's rules for the executable's path.
func checkExecPath(p string) error {
	if !strings.HasPrefix(p, "/") {
		return fmt.Errorf("%q is not an absolute path", p)
	}
	for _, r := range p {
		switch {
		case r == '"' || r == '\'' || r == '\\':
			return fmt.Errorf("%q contains %q: systemd refuses quotes and backslashes in the path of the program it executes", p, r)
		case r < 0x20 || r == 0x7f:
			return fmt.Errorf("%q contains the control character %q: systemd refuses it in the path of the program it executes", p, r)
		}
	}
	return nil
}

// quoteExecWord writes one word. Words made only of characters that mean
// nothing to systemd stay bare, for readability; others are double
// quoted, with escapes for ", \ and anything not printable.
func quoteExecWord(w string, arg bool) string {
	var b strings.Builder
	b.Grow(len(w) + 2)
	quote := !isBareExecWord(w)
	if quote {
		b.WriteByte('"')
	}
	for i := 0; i < len(w); {
		r, size := utf8.DecodeRuneInString(w[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			// Not UTF-8: \xHH puts the byte back as it was.
			fmt.Fprintf(&b, `\x%02x`, w[i])
		case r == '%':
			b.WriteString("%%")
		case r == '$' && arg:
			b.WriteString("$$")
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x80 && cEscapes[byte(r)] != 0:
			b.WriteByte('\\')
			b.WriteByte(cEscapes[byte(r)])
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case r >= 0x80 && !unicode.IsPrint(r):
			// Line and paragraph separators and the like: escaped so
			// that the unit file reads as one line in any editor.
			if r < 0x10000 {
				fmt.Fprintf(&b, `\u%04x`, r)
			} else {
				fmt.Fprintf(&b, `\U%08x`, r)
			}
		default:
			b.WriteString(w[i : i+size])
		}
		i += size
	}
	if quote {
		b.WriteByte('"')
	}
	return b.String()
}

var cEscapes = [128]byte{'\a': 'a', '\b': 'b', '\f': 'f', '\n': 'n', '\r': 'r', '\t': 't', '\v': 'v'}

func isBareExecWord(w string) bool {
	if w == "" {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("_-./,:=+@%$", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// ParseExecStart reads the value of an ExecStart= setting the way systemd
// 252 does and returns the path it executes followed by the arguments the
// program receives. It stands in for systemd in tests, so it refuses what
// it cannot decide offline: specifiers other than %%, environment variable
// references, and more than one command. The prefixes -, @, :, +, ! and !!
// are understood.
func ParseExecStart(value string) ([]string, error) {
	words, err := splitExecWords(value)
	if err != nil {
		return nil, err
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("empty command line")
	}
	// Each prefix may appear once, in any order; what follows is the path.
	first := words[0].text
	seen := map[string]bool{}
	for first != "" {
		p := first[:1]
		if strings.HasPrefix(first, "!!") {
			p = "!!"
		}
		if !strings.Contains("-@:+!", p[:1]) || seen[p] || (p[0] == '!' && (seen["!"] || seen["!!"])) {
			break
		}
		seen[p] = true
		first = first[len(p):]
	}
	noEnv, argv0 := seen[":"], seen["@"]
	path, err := resolveSpecifiers(first)
	if err != nil {
		return nil, err
	}
	if path == "" {
		return nil, fmt.Errorf("empty executable path")
	}
	if !strings.HasPrefix(path, "/") && strings.Contains(path, "/") {
		return nil, fmt.Errorf("%q is neither an absolute path nor a plain file name", path)
	}
	if strings.ContainsAny(path, "\"'\\") || strings.ContainsFunc(path, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return nil, fmt.Errorf("executable name contains special characters: %q", path)
	}
	rest := words[1:]
	if argv0 {
		if len(rest) == 0 {
			return nil, fmt.Errorf("@ prefix without an argv[0] word")
		}
		rest = rest[1:] // the process's argv[0], not an argument
	}
	out := []string{path}
	for _, w := range rest {
		a := w.text
		if !w.literal {
			if a, err = resolveSpecifiers(a); err != nil {
				return nil, err
			}
		}
		if !noEnv {
			if a, err = expandDollars(a); err != nil {
				return nil, err
			}
		}
		out = append(out, a)
	}
	return out, nil
}

type execWord struct {
	text    string
	literal bool // the word was \; : systemd takes it as is
}

func isExecSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// splitExecWords is pass 1: systemd's extract_first_word with unquoting
// and C unescaping, plus ExecStart='s command separators.
func splitExecWords(s string) ([]execWord, error) {
	var words []execWord
	i := 0
	for {
		for i < len(s) && isExecSpace(s[i]) {
			i++
		}
		if i == len(s) {
			return words, nil
		}
		// The separators are looked for only after the first word, which
		// systemd reads on its own.
		endsWord := func(j int) bool { return j == len(s) || isExecSpace(s[j]) }
		if len(words) > 0 && s[i] == ';' && endsWord(i+1) {
			if strings.TrimLeft(s[i+1:], " \t\n\r") != "" {
				return nil, fmt.Errorf("more than one command (separated by ;)")
			}
			return words, nil
		}
		if len(words) > 0 && s[i] == '\\' && i+1 < len(s) && s[i+1] == ';' && endsWord(i+2) {
			words = append(words, execWord{text: ";", literal: true})
			i += 2
			continue
		}
		var b []byte
		var quote byte
	word:
		for i < len(s) {
			c := s[i]
			switch {
			case c == '\\':
				if i+1 == len(s) {
					return nil, fmt.Errorf("trailing backslash")
				}
				n, decoded, err := unescapeOne(s[i+1:])
				if err != nil {
					return nil, err
				}
				b = append(b, decoded...)
				i += 1 + n
			case quote != 0:
				if c == quote {
					quote = 0
				} else {
					b = append(b, c)
				}
				i++
			case c == '"' || c == '\'':
				quote = c
				i++
			case isExecSpace(c):
				break word
			default:
				b = append(b, c)
				i++
			}
		}
		if quote != 0 {
			return nil, fmt.Errorf("unbalanced quoting")
		}
		words = append(words, execWord{text: string(b)})
	}
}

// unescapeOne decodes the escape after a backslash: how many bytes of s it
// used and the bytes it stands for. \xHH and \NNN give a raw byte, \u and
// \U a character in UTF-8; NUL is refused, as systemd does.
func unescapeOne(s string) (int, []byte, error) {
	simple := map[byte]byte{'a': '\a', 'b': '\b', 'f': '\f', 'n': '\n', 'r': '\r', 't': '\t', 'v': '\v',
		'\\': '\\', '"': '"', '\'': '\'', 's': ' '}
	if c, ok := simple[s[0]]; ok {
		return 1, []byte{c}, nil
	}
	hex := func(digits string) (uint32, bool) {
		var v uint32
		for i := 0; i < len(digits); i++ {
			c := digits[i]
			switch {
			case '0' <= c && c <= '9':
				v = v<<4 | uint32(c-'0')
			case 'a' <= c && c <= 'f':
				v = v<<4 | uint32(c-'a'+10)
			case 'A' <= c && c <= 'F':
				v = v<<4 | uint32(c-'A'+10)
			default:
				return 0, false
			}
		}
		return v, true
	}
	switch c := s[0]; {
	case c == 'x':
		if len(s) < 3 {
			break
		}
		if v, ok := hex(s[1:3]); ok && v != 0 {
			return 3, []byte{byte(v)}, nil
		}
	case c == 'u' || c == 'U':
		n := 4
		if c == 'U' {
			n = 8
		}
		if len(s) < 1+n {
			break
		}
		v, ok := hex(s[1 : 1+n])
		if !ok || v == 0 || (c == 'U' && (v > unicode.MaxRune || (v >= 0xd800 && v <= 0xdfff))) {
			break
		}
		return 1 + n, encodeUnichar(v), nil
	case '0' <= c && c <= '7':
		if len(s) < 3 {
			break
		}
		v := uint32(0)
		ok := true
		for i := 0; i < 3; i++ {
			d := s[i]
			if d < '0' || d > '7' {
				ok = false
				break
			}
			v = v<<3 | uint32(d-'0')
		}
		if ok && v != 0 && v <= 255 {
			return 3, []byte{byte(v)}, nil
		}
	}
	return 0, nil, fmt.Errorf("unknown escape sequence \\%s", firstRune(s))
}

// encodeUnichar writes v in UTF-8 as systemd does, surrogates included
// (a \u escape may name one; Go's encoder would write U+FFFD instead).
func encodeUnichar(v uint32) []byte {
	if v >= 0xd800 && v <= 0xdfff {
		return []byte{0xe0 | byte(v>>12), 0x80 | byte(v>>6)&0x3f, 0x80 | byte(v)&0x3f}
	}
	return utf8.AppendRune(nil, rune(v))
}

func firstRune(s string) string {
	_, n := utf8.DecodeRuneInString(s)
	return s[:n]
}

// resolveSpecifiers is pass 2, as systemd 252 does it for the one
// specifier a generated unit may contain: %% is %. A % before a letter or
// digit is a specifier, which depends on the unit and the machine and is
// refused here; before anything else, or at the end, it stays as it is.
func resolveSpecifiers(w string) (string, error) {
	if !strings.Contains(w, "%") {
		return w, nil
	}
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		if w[i] != '%' || i+1 == len(w) {
			b.WriteByte(w[i])
			continue
		}
		switch c := w[i+1]; {
		case c == '%':
			b.WriteByte('%')
			i++
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			return "", fmt.Errorf("%q uses the specifier %%%c, which depends on the unit and the machine", w, c)
		default:
			b.WriteByte('%')
		}
	}
	return b.String(), nil
}

// expandDollars is pass 3 for a word that refers to no variable: $$ is $,
// and any other $ is kept. A reference to a variable is an error: its
// value is only known when the service runs.
func expandDollars(w string) (string, error) {
	if len(w) > 0 && w[0] == '$' && (len(w) == 1 || (w[1] != '{' && w[1] != '$')) {
		return "", fmt.Errorf("%q is replaced by the environment variable %s split into words", w, w[1:])
	}
	if !strings.Contains(w, "$") {
		return w, nil
	}
	var b strings.Builder
	for i := 0; i < len(w); i++ {
		if w[i] == '$' && i+1 < len(w) {
			switch w[i+1] {
			case '$':
				b.WriteByte('$')
				i++
				continue
			case '{':
				return "", fmt.Errorf("%q refers to an environment variable", w)
			}
		}
		b.WriteByte(w[i])
	}
	return b.String(), nil
}
