package render

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestWriteTableSameAsTablewriter holds the quick table writer to
// tablewriter's output on tables of every kind of cell a report holds, and
// on cells that send it to tablewriter.
func TestWriteTableSameAsTablewriter(t *testing.T) {
	words := []string{"1-1", "2026015", "刘欣怡", "监护人电话（guardian.phone）未填写", "✗ 未达标", "100.0%", "87.5% ✗",
		"Name", "a b", "·", "—", "é", "Ａ", "😀", "ｱ", "x", "2026-10", "<script>", "|", "+", "-", "a\nb", " lead", "trail ", "", "tab\there", "\x1b[31mred\x1b[0m", "\u200b", "e\u0301"}
	r := rand.New(rand.NewPCG(1, 2))
	cases := [][][]string{
		{{"A", "B"}},
		{{"班级", "学号"}, {"1-1", "2026015"}},
	}
	for n := 0; n < 400; n++ {
		cols := 1 + r.IntN(5)
		rows := r.IntN(6)
		tab := make([][]string, rows+1)
		for i := range tab {
			tab[i] = make([]string, cols)
			for j := range tab[i] {
				k := 1 + r.IntN(3)
				var parts []string
				for ; k > 0; k-- {
					parts = append(parts, words[r.IntN(len(words))])
				}
				tab[i][j] = strings.Join(parts, " ")
				if r.IntN(3) == 0 {
					tab[i][j] = words[r.IntN(20)]
				} else if r.IntN(4) == 0 {
					tab[i][j] = words[r.IntN(len(words))]
				}
			}
		}
		cases = append(cases, tab)
	}
	quick := 0
	for _, tab := range cases {
		if plainCells(tab[0]) && func() bool {
			for _, r := range tab[1:] {
				if !plainCells(r) {
					return false
				}
			}
			return true
		}() {
			quick++
		}
		var got, want strings.Builder
		if err := writeTable(&got, tab[0], tab[1:]); err != nil {
			t.Fatal(err)
		}
		if err := tablewriterTable(&want, tab[0], tab[1:]); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("table %q:\ngot:\n%s\nwant (tablewriter):\n%s", tab, got.String(), want.String())
		}
	}
	if quick < 50 {
		t.Errorf("only %d of %d tables took the quick path; the test compares too little", quick, len(cases))
	}
}

func BenchmarkWriteTable(b *testing.B) {
	headers := []string{"班级", "学号", "姓名", "月份", "原因"}
	var rows [][]string
	for i := 0; i < 10000; i++ {
		rows = append(rows, []string{"3-2", "2024031", "李小明", "2026-10", "2026-10 没有班主任王芳的谈心记录"})
	}
	b.Run("quick", func(b *testing.B) {
		for b.Loop() {
			var s strings.Builder
			writeTable(&s, headers, rows)
		}
	})
	b.Run("tablewriter", func(b *testing.B) {
		for b.Loop() {
			var s strings.Builder
			tablewriterTable(&s, headers, rows)
		}
	})
}

// TestCleanOutput: a diff or log page keeps its lines and care's own
// colours; escape sequences, carriage returns and bidi overrides from record
// text do not reach the terminal.
func TestCleanOutput(t *testing.T) {
	for _, tc := range []struct {
		in    string
		color bool
		want  string
	}{
		{"a\nb\n", false, "a\nb\n"},
		{"name: 李\x1b[2J小明\n", false, "name: 李\ufffd[2J小明\n"},
		{"\x1b[31m± \x1b[0mname: x\ry\n", true, "\x1b[31m± \x1b[0mname: x y\n"},
		{"\x1b[31m±\x1b[0m \x1b]0;title\x07\n", true, "\x1b[31m±\x1b[0m \ufffd]0;title\ufffd\n"},
		{"a\u202eb\tc\n", false, "a\ufffdb c\n"},
	} {
		if got := cleanOutput(tc.in, tc.color); got != tc.want {
			t.Errorf("cleanOutput(%q, %v) = %q, want %q", tc.in, tc.color, got, tc.want)
		}
	}
}
