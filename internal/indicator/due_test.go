package indicator

import (
	"strings"
	"testing"

	"github.com/care-tool/care/internal/record"
)

func dueBuilder() *builder {
	b := newB()
	b.child("A") // 3-2, head teacher T01: all done
	b.talk("A", "2026-10-05", "T01", record.TalkTalk)
	b.talk("A", "2026-10-06", "T01", record.TalkParentContact)
	b.child("B")                                      // 3-2: nothing yet
	b.talk("B", "2026-09-28", "T01", record.TalkTalk) // last month does not count
	b.child("C").Class = "4-1"                        // head teacher T02
	b.talk("C", "2026-10-07", "T01", record.TalkTalk) // not by the head teacher
	dd := b.child("D")                                // parent came home: owes nothing
	dd.LeftBehind.Until = d("2026-10-01")
	dd.Guardian = nil
	e := b.child("E") // incomplete file only
	e.Class = "4-1"
	e.Guardian.Phone = " "
	b.talk("E", "2026-10-02", "T02", record.TalkTalk)
	b.talk("E", "2026-10-02", "T03", record.TalkParentContact)
	b.child("G").Class = "5-1" // no head teacher

	b.pair("A", "teacher", "T01", "2026-09-01", "", "2026-09-15")               // 35 days: due
	b.pair("B", "peer", "小红", "2026-09-25", "")                                 // 25 days since start: not due
	b.pair("C", "teacher", "T02", "2026-09-10", "")                             // 40 days since start: due
	b.pair("B", "teacher", "T01", "2026-08-01", "2026-10-01")                   // ended
	b.pair("E", "teacher", "T01", "2026-08-01", "", "2026-09-01", "2026-09-19") // 31 days: not due
	b.pair("G", "volunteer", "爱心妈妈", "2026-09-01", "", "2026-09-18")            // 32 days: due
	b.pair("C", "peer", "小明", "2026-09-01", "", "2026-09-10")                   // 40 days: due, followed up by C's head teacher T02
	return b
}

func dueList(items []DueItem) string {
	var out []string
	for _, it := range items {
		out = append(out, it.Staff+":"+it.Child)
	}
	return strings.Join(out, " ")
}

func TestDue(t *testing.T) {
	b := dueBuilder()
	res := Due(b.ds, DueOptions{Month: record.Month(202610), Today: d("2026-10-20")})
	for name, tt := range map[string][2]string{
		"talks":      {dueList(res.Talks), ":G T01:B T02:C"},
		"contacts":   {dueList(res.Contacts), ":G T01:B T02:C"},
		"reviews":    {dueList(res.Reviews), ":G T01:A T02:C T02:C"},
		"incomplete": {dueList(res.Incomplete), "T02:E"},
	} {
		if tt[0] != tt[1] {
			t.Errorf("%s = %q, want %q", name, tt[0], tt[1])
		}
	}
	if it := res.Talks[1]; it.StaffName != "王芳" || it.Reason.En != "no talk log by 王芳 in 2026-10" || it.Name != "孩子B" {
		t.Errorf("talk item = %+v", it)
	}
	if it := res.Talks[2]; !strings.Contains(it.Reason.En, "1 by other staff does not count") {
		t.Errorf("talk item = %+v", it)
	}
	if it := res.Talks[0]; !strings.Contains(it.Reason.En, "no head teacher") {
		t.Errorf("talk item = %+v", it)
	}
	wantReviews := []string{
		"volunteer (爱心妈妈): last review on 2026-09-18, 32 days ago",
		"teacher mentor (王芳): last review on 2026-09-15, 35 days ago",
		"peer helper (小明): last review on 2026-09-10, 40 days ago",
		"teacher mentor (李强): no review since the pairing started on 2026-09-10, 40 days ago",
	}
	for i, want := range wantReviews {
		if got := res.Reviews[i].Reason.En; got != want {
			t.Errorf("review %d = %q, want %q", i, got, want)
		}
		if !strings.HasPrefix(res.Reviews[i].Pairing, "pairings/") {
			t.Errorf("review %d has no pairing path: %+v", i, res.Reviews[i])
		}
	}
	if it := res.Incomplete[0]; it.Reason.En != "guardian.phone is missing" {
		t.Errorf("incomplete = %+v", it)
	}
	if it := res.Contacts[1]; it.Reason.En != "no parent contact in 2026-10 yet" {
		t.Errorf("contact = %+v", it)
	}

	res = Due(b.ds, DueOptions{Month: record.Month(202610), Today: d("2026-10-20"), By: "T02"})
	for name, tt := range map[string][2]string{
		"talks":      {dueList(res.Talks), "T02:C"},
		"contacts":   {dueList(res.Contacts), "T02:C"},
		"reviews":    {dueList(res.Reviews), "T02:C T02:C"},
		"incomplete": {dueList(res.Incomplete), "T02:E"},
	} {
		if tt[0] != tt[1] {
			t.Errorf("by T02: %s = %q, want %q", name, tt[0], tt[1])
		}
	}
}

func TestDueRules(t *testing.T) {
	b := newB()
	b.ds.Config.Rules.TalksPerMonth = 2
	b.child("a")
	b.talk("a", "2026-10-05", "T01", record.TalkTalk)
	b.child("b")
	b.talk("b", "2026-10-05", "T01", record.TalkTalk)
	b.talk("b", "2026-10-15", "T01", record.TalkTalk)
	res := Due(b.ds, DueOptions{Month: record.Month(202610), Today: d("2026-10-20")})
	if got := dueList(res.Talks); got != "T01:a" {
		t.Errorf("talks = %q", got)
	}
	if got := res.Talks[0].Reason.En; got != "only 1 of 2 talk logs by 王芳 in 2026-10" {
		t.Errorf("reason = %q", got)
	}
	// A past month: owed on its last day.
	b.child("late").LeftBehind.Since = d("2026-10-25")
	res = Due(b.ds, DueOptions{Month: record.Month(202610), Today: d("2026-11-05")})
	if got := dueList(res.Talks); got != "T01:a T01:late" {
		t.Errorf("talks for a past month = %q", got)
	}
	b.ds.Config.Rules.TalkBy = "any_staff"
	b.talk("late", "2026-10-28", "T03", record.TalkTalk)
	b.talk("late", "2026-10-29", "T02", record.TalkTalk)
	res = Due(b.ds, DueOptions{Month: record.Month(202610), Today: d("2026-11-05")})
	if got := dueList(res.Talks); got != "T01:a" {
		t.Errorf("talks with any_staff = %q", got)
	}
	if res := Due(nil, DueOptions{Month: record.Month(202610), Today: d("2026-11-05")}); res == nil || len(res.Talks) != 0 {
		t.Errorf("Due(nil) = %+v", res)
	}
}
