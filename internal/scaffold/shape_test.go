package scaffold

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mkdaemon/mkdaemon/internal/realtest"

	"github.com/mkdaemon/mkdaemon/internal/homefs"
)

// TestConnectionShape runs each connection-shaped skeleton in the foreground
// against a real server: it answers PING, connects again when the server
// drops it, saves its state after each line, and stops at once on SIGTERM
// while it waits for the next line (it would otherwise wait ten minutes).
func TestConnectionShape(t *testing.T) {
	realtest.Need(t)
	for _, lang := range Langs {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer ln.Close()
			d := generate(t, lang, variants[0], Connection)
			pointAt(t, d, ln.Addr().(*net.TCPAddr).Port)

			cmd := exec.Command(d.p.Program, "--foreground")
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			for i := 1; i <= 2; i++ {
				conn := accept(t, ln)
				fmt.Fprintf(conn, "PING %d\r\n", i)
				line, err := bufio.NewReader(conn).ReadString('\n')
				if want := fmt.Sprintf("PONG %d\r\n", i); err != nil || line != want {
					t.Fatalf("connection %d: read %q, %v; want %q\n%s", i, line, err, want, stderr.String())
				}
				if i == 1 {
					conn.Close() // the bot must connect again
				} else {
					defer conn.Close()
				}
			}
			waitLines(t, d.p.State, 2)
			cmd.Process.Signal(syscall.SIGTERM)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("after SIGTERM: %v\n%s", err, stderr.String())
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("still running 5 s after SIGTERM, while connected\n%s", stderr.String())
			}
			if _, err := os.Stat(d.p.Pidfile); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("pidfile left after SIGTERM: %v", err)
			}
			var st struct{ Lines int }
			b, _ := os.ReadFile(d.p.State)
			if err := json.Unmarshal(b, &st); err != nil || st.Lines != 2 {
				t.Errorf("state %q (%v); want 2 lines", b, err)
			}
		})
	}
}

// pointAt makes the skeleton connect to port on localhost instead of 6667,
// as its author would edit it, and rebuilds a Go one.
func pointAt(t *testing.T, d *daemon, port int) {
	t.Helper()
	src := d.p.Program
	if d.lang == Go {
		src = filepath.Join(filepath.Dir(d.p.Program), "main.go")
	}
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(b, []byte("localhost")); n != 1 {
		t.Fatalf("%s names localhost %d times, want once", src, n)
	}
	b = bytes.Replace(b, []byte("6667"), []byte(fmt.Sprint(port)), 1)
	if err := os.WriteFile(src, b, 0o755); err != nil {
		t.Fatal(err)
	}
	if d.lang == Go {
		if err := Build(d.p.Program); err != nil {
			t.Fatal(err)
		}
	}
}

func accept(t *testing.T, ln net.Listener) net.Conn {
	t.Helper()
	ln.(*net.TCPListener).SetDeadline(time.Now().Add(10 * time.Second))
	conn, err := ln.Accept()
	if err != nil {
		t.Fatalf("the bot did not connect: %v", err)
	}
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	return conn
}

// waitLines waits up to 5 s for the state file at path to count n lines.
func waitLines(t *testing.T, path string, n int) {
	t.Helper()
	for end := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		b, _ := os.ReadFile(path)
		var st struct{ Lines int }
		if json.Unmarshal(b, &st) == nil && st.Lines == n {
			return
		}
		if time.Now().After(end) {
			t.Fatalf("the state file %s does not count %d lines after 5 s: %q", path, n, b)
		}
	}
}

// commentCode is how each skeleton indents code in its comments.
var commentCode = map[Lang]string{Go: "//\t", Perl: "#     ", PHP: "//     ", Python: "#     "}

// examples returns the code examples in the comments of src: each run of
// lines indented as code in a comment, without the comment marks.
func examples(lang Lang, src []byte) []string {
	var out []string
	var cur []string
	prefix := commentCode[lang]
	for _, line := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(line, prefix) {
			code := strings.TrimPrefix(line, prefix)
			if lang == Go {
				code = strings.TrimPrefix(line, "//")
			}
			cur = append(cur, code)
			continue
		}
		if cur != nil {
			out = append(out, strings.Join(cur, "\n"))
			cur = nil
		}
	}
	return out
}

// TestExamples runs every code example in the skeletons' comments as
// written, with the skeleton's own functions, against an HTTP server whose
// first answer fails: url is the one name an example may use undefined, and
// page what it fetches.
func TestExamples(t *testing.T) {
	realtest.Need(t)
	for _, lang := range Langs {
		for _, shape := range Shapes {
			t.Run(string(lang)+"/"+string(shape), func(t *testing.T) {
				t.Parallel()
				var requests atomic.Int32
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if requests.Add(1) == 1 {
						conn, _, _ := w.(http.Hijacker).Hijack()
						conn.Close() // a network failure
						return
					}
					fmt.Fprint(w, "hello from the server")
				}))
				defer srv.Close()
				res, err := Create(Params{Lang: lang, Shape: shape, Program: filepath.Join(t.TempDir(), "bot", "bot"+extension[lang]),
					Pidfile: "/nonexistent/bot.pid"}, false, homefs.Self)
				if err != nil {
					t.Fatal(err)
				}
				prog := res.Params.Program
				src := prog
				if lang == Go {
					src = filepath.Join(filepath.Dir(prog), "main.go")
				}
				b, err := os.ReadFile(src)
				if err != nil {
					t.Fatal(err)
				}
				exs := examples(lang, b)
				if len(exs) == 0 {
					t.Fatalf("no examples found in %s", src)
				}
				for i, ex := range exs {
					requests.Store(0)
					out, err := runExample(t, lang, prog, b, ex, srv.URL)
					if err != nil || !strings.Contains(out, "hello from the server") {
						t.Errorf("example %d:\n%s\nran: %v\n%s", i+1, ex, err, out)
					}
					if n := requests.Load(); n != 2 {
						t.Errorf("example %d made %d requests, want 2 (one failure, one retry)", i+1, n)
					}
				}
			})
		}
	}
}

// runExample runs ex with the definitions of the skeleton prog (source src)
// and url bound, and returns its output, which ends with page.
func runExample(t *testing.T, lang Lang, prog string, src []byte, ex, url string) (string, error) {
	dir := t.TempDir()
	var cmd *exec.Cmd
	switch lang {
	case Python:
		cmd = exec.Command("/usr/bin/python3", "-c", `
import runpy, sys
g = runpy.run_path(sys.argv[1])
g["url"] = sys.argv[2]
exec(sys.argv[3], g)
sys.stdout.write(g["page"].decode())
`, prog, url, ex)
	case Perl:
		cmd = exec.Command("perl", "-e", `
my ($prog, $url, $ex) = @ARGV;
my $src = do { local $/; open my $f, '<', $prog or die "$prog: $!"; <$f> };
$src =~ s/^main\(\);\s*\z//m or die "no main(); at the end of $prog";
eval "$src;\n$ex;\nprint \$page;\n1" or die $@;
`, prog, url, ex)
	case PHP:
		s := string(src)
		i := strings.Index(s, "$opt = parse_args(")
		if i < 0 {
			t.Fatalf("no parse_args call in %s", prog)
		}
		file := filepath.Join(dir, "example.php")
		if err := os.WriteFile(file, []byte(s[:i]+"$url = $argv[1];\n"+ex+"\necho $page;\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd = exec.Command("php", file, url)
	case Go:
		test := "package main\n\nimport (\n\t\"context\"\n\t\"io\"\n\t\"net/http\"\n\t\"os\"\n\t\"testing\"\n)\n\n" +
			"func TestExample(t *testing.T) {\n\tctx := context.Background()\n\turl := os.Getenv(\"EXAMPLE_URL\")\n" +
			ex + "\n\tif err != nil {\n\t\tt.Fatal(err)\n\t}\n\tos.Stdout.Write(page)\n}\n"
		file := filepath.Join(filepath.Dir(prog), "example_test.go")
		if err := os.WriteFile(file, []byte(test), 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(file)
		cmd = exec.Command("go", "test", "-v", "-count=1", "-run", "^TestExample$", ".")
		cmd.Dir = filepath.Dir(prog)
		cmd.Env = append(os.Environ(), "GOWORK=off", "EXAMPLE_URL="+url)
	}
	out, err := cmd.CombinedOutput()
	return string(out), err
}
