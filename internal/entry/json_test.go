package entry

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/mkdaemon/mkdaemon/internal/spec"
)

// encodingJSON is what AppendJSON must write: encoding/json's Encoder with
// the indent --print --json always had.
func encodingJSON(t testing.TB, e Entry) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(e); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func awkwardEntry(s string, n int) Entry {
	list := func() []string {
		switch n % 3 {
		case 0:
			return nil
		case 1:
			return []string{}
		}
		return []string{s, "", s + s}
	}
	return Entry{
		Name: s, Program: "/p/" + s, Args: list(), Pidfile: s, Mode: spec.Mode(s),
		Log: s, Chdir: s[:len(s)/2], User: s, Schedule: s, ScheduleText: s,
		NextRuns: list(), AtBoot: n%2 == 0, Argv: list(), Command: s,
		CrontabLines: list(), Warnings: list(),
	}
}

func TestAppendJSONIsEncodingJSON(t *testing.T) {
	for i, s := range []string{
		"", "mybot.py", `it's "100%" \ <a&b>`, "tab\tnl\ncr\r\b\f\x00\x1f\x7f",
		"é ü 日本 \u2028\u2029 \U0001F600", "bad \xff\xfe utf8 \xe2\x82", "\\u0041",
	} {
		e := awkwardEntry(s, i)
		if got, want := AppendJSON(nil, e), encodingJSON(t, e); !bytes.Equal(got, want) {
			t.Errorf("%q:\n%s\nwant\n%s", s, got, want)
		}
	}
}

func FuzzAppendJSON(f *testing.F) {
	f.Add("mybot.py", 0)
	f.Add("<\u2028\xff\"\\\n", 2)
	f.Fuzz(func(t *testing.T, s string, n int) {
		e := awkwardEntry(s, n&0xff)
		if got, want := AppendJSON(nil, e), encodingJSON(t, e); !bytes.Equal(got, want) {
			t.Fatalf("%q:\n%s\nwant\n%s", s, got, want)
		}
	})
}
