package scaffold

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The Go, PHP and Python skeletons keep their state as a JSON object. The
// Perl skeleton keeps it as KEY<TAB>VALUE lines (JSON::PP alone would cost
// its daemon 1.3 MB): UTF-8, one entry a line in no particular order, \\ \t
// \n \r escaped, a leading # in a key written \#, lines starting with # are
// comments. The tests read both formats with the readers below, which are
// strict on purpose: a torn or truncated file must not read as a state.

// stateRuns returns the "runs" counter of a state file written by a
// skeleton of lang. It is an error unless b is a whole state file holding
// both entries the example do_work writes, "runs" and "last_run".
func stateRuns(lang Lang, b []byte) (int, error) {
	if lang != Perl {
		var st struct {
			Runs    *int
			LastRun *string `json:"last_run"`
		}
		if err := json.Unmarshal(b, &st); err != nil {
			return 0, err
		}
		if st.Runs == nil || st.LastRun == nil {
			return 0, fmt.Errorf("runs or last_run missing")
		}
		return *st.Runs, nil
	}
	st, err := readPerlState(b)
	if err != nil {
		return 0, err
	}
	runs, ok := st["runs"]
	if _, hasLast := st["last_run"]; !ok || !hasLast {
		return 0, fmt.Errorf("runs or last_run missing")
	}
	return strconv.Atoi(runs)
}

// readPerlState parses the Perl skeleton's state format.
func readPerlState(b []byte) (map[string]string, error) {
	text := string(b)
	if text != "" && !strings.HasSuffix(text, "\n") {
		return nil, errors.New("no newline at the end")
	}
	st := map[string]string{}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "\t")
		if !ok {
			return nil, fmt.Errorf("line %d: no tab: %q", i+1, line)
		}
		key, err := perlStateUnescape(k)
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", i+1, err)
		}
		if st[key], err = perlStateUnescape(v); err != nil {
			return nil, fmt.Errorf("line %d: %v", i+1, err)
		}
	}
	return st, nil
}

func perlStateUnescape(s string) (string, error) {
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out.WriteByte(s[i])
			continue
		}
		i++
		if i == len(s) {
			return "", fmt.Errorf("a backslash at the end of %q", s)
		}
		r, ok := map[byte]byte{'\\': '\\', 't': '\t', 'n': '\n', 'r': '\r', '#': '#'}[s[i]]
		if !ok {
			return "", fmt.Errorf("unknown escape \\%c in %q", s[i], s)
		}
		out.WriteByte(r)
	}
	return out.String(), nil
}

// TestPerlStateReaderRefusesTornFiles holds the reader the kill -9 check
// uses to its promise: no proper prefix of a state file reads as one.
func TestPerlStateReaderRefusesTornFiles(t *testing.T) {
	whole := "# KEY<TAB>VALUE lines; \\\\ \\t \\n \\r \\# are escapes\nruns\t12\nlast_run\t2025-01-02T03:04:05+0000\n"
	if n, err := stateRuns(Perl, []byte(whole)); err != nil || n != 12 {
		t.Fatalf("stateRuns(whole file) = %d, %v; want 12", n, err)
	}
	for i := 0; i < len(whole); i++ {
		if n, err := stateRuns(Perl, []byte(whole[:i])); err == nil {
			t.Errorf("the first %d bytes read as a state with %d runs: %q", i, n, whole[:i])
		}
	}
}

// perlStateValues are strings the Perl state file must carry unchanged.
var perlStateValues = []string{
	"", "plain", "tab\there", "new\nline", "cr\rlf\r\n", `back\slash`, `\`, `\\t`, "\\n",
	"# not a comment", "#", "é ü ß", "日本語", "emoji 🙂", "\x00nul", "trailing space ", " ", "a\tb\tc",
	`it's "q" $HOME @a %s`,
}

// TestPerlStateRoundTrips saves a state of awkward keys and values with the
// generated Perl skeleton's own save_state, checks that the Go reader agrees
// byte for byte, then loads it back with load_state and compares in Perl.
func TestPerlStateRoundTrips(t *testing.T) {
	prog := perlSkeleton(t)
	state := filepath.Join(filepath.Dir(prog), "round.state")

	// A state built from the values passed as arguments (UTF-8 decoded, so
	// that wide characters go through too), saved and loaded back.
	const code = `
		my ($path, @values) = @ARGV;
		$_ = pack('H*', $_) for @values;
		utf8::decode($_) for @values;
		my %state;
		$state{$values[$_]} = $values[-1 - $_] for 0 .. $#values;
		$state{"undef is left out"} = undef;
		save_state($path, \%state);
		delete $state{"undef is left out"};
		my $back = load_state($path);
		my @bad = grep { !exists $back->{$_} || $back->{$_} ne $state{$_} } keys %state;
		push @bad, grep { !exists $state{$_} } keys %$back;
		die "not round-tripped: @bad\n" if @bad;
		print scalar(keys %$back), "\n";
	`
	// Hex on the command line, which cannot carry a NUL.
	args := []string{state}
	for _, v := range perlStateValues {
		args = append(args, hex.EncodeToString([]byte(v)))
	}
	out, err := perlEval(t, nil, prog, code, args...)
	if err != nil {
		t.Fatalf("perl: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(out); got != strconv.Itoa(len(perlStateValues)) {
		t.Errorf("perl round-tripped %s entries, want %d", got, len(perlStateValues))
	}

	b, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	st, err := readPerlState(b)
	if err != nil {
		t.Fatalf("the Go reader refuses what save_state wrote: %v\n%q", err, b)
	}
	for i, k := range perlStateValues {
		if v, ok := st[k]; !ok || v != perlStateValues[len(perlStateValues)-1-i] {
			t.Errorf("key %q: Go reads %q (present %v), want %q", k, v, ok, perlStateValues[len(perlStateValues)-1-i])
		}
	}
	if len(st) != len(perlStateValues) {
		t.Errorf("Go reads %d entries, want %d:\n%s", len(st), len(perlStateValues), b)
	}
	if strings.Contains(string(b), "undef is left out") {
		t.Errorf("an undef value was saved:\n%s", b)
	}
}

// TestPerlStateRefusals: load_state refuses a damaged file with a message
// naming it, and save_state refuses nested data before it writes anything.
func TestPerlStateRefusals(t *testing.T) {
	prog := perlSkeleton(t)
	dir := filepath.Dir(prog)
	const code = `
		my ($path, $content) = @ARGV;
		if ($content eq 'REF') {
			eval { save_state($path, { runs => 1, list => [1, 2] }); 1 } and die "saved a reference\n";
		} else {
			open my $f, '>', $path or die; print $f $content; close $f;
			eval { load_state($path); 1 } and die "loaded a damaged file\n";
		}
		print $@;
	`
	for i, c := range []struct{ content, want string }{
		{"runs\t1", "is incomplete (no newline at its end)"},
		{"runs 1\n", "line 1: no tab between key and value"},
		{"# c\nruns\t1\\x\n", `line 2: a backslash starts none of the escapes \\ \t \n \r \#`},
		{"runs\t1\\\n", "a backslash starts none of the escapes"},
		{"{\"runs\": 1}\n", "no tab between key and value"},
		{"REF", "state entry 'list' holds a reference"},
	} {
		state := filepath.Join(dir, fmt.Sprintf("bad%d.state", i))
		out, err := perlEval(t, nil, prog, code, state, c.content)
		if err != nil || !strings.Contains(out, c.want) {
			t.Errorf("%q: %v, %q; want a message with %q", c.content, err, out, c.want)
		}
		if c.content != "REF" && !strings.Contains(out, state) {
			t.Errorf("%q: the message %q does not name the file", c.content, out)
		}
		if _, err := os.Stat(state + ".tmp"); c.content == "REF" && err == nil {
			t.Errorf("save_state left %s.tmp behind for a refused state", state)
		}
	}
}
