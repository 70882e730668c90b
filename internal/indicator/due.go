package indicator

import (
	"sort"

	"github.com/care-tool/care/internal/i18n"
	"github.com/care-tool/care/internal/record"
)

// ReviewInterval is the number of days a pairing may go without a review
// (or, before its first review, since its start) before Due lists it.
const ReviewInterval = 31

// DueOptions selects the teachers' working list.
type DueOptions struct {
	Month record.Month // the month whose talks and contacts are due
	Today record.Date  // today
	By    string       // optional: keep only the items of this staff id
}

// DueResult is the teachers' working list: what is still owed. Every list is
// sorted by staff id, class, child (and pairing file).
type DueResult struct {
	Month      record.Month
	Talks      []DueItem // children owed a talk in Month with fewer than rules.talks_per_month talks so far; Staff = head teacher
	Contacts   []DueItem // children owed in Month with no parent_contact log yet; Staff = head teacher
	Reviews    []DueItem // pairings active today not reviewed for more than ReviewInterval days; Staff = mentor when a staff id
	Incomplete []DueItem // children in R(today) whose file is incomplete; Staff = head teacher
}

// DueItem is one thing owed.
type DueItem struct {
	Child     string
	Name      string // child's name
	Class     string
	Staff     string // staff id of who owes it; "" when nobody is named
	StaffName string
	Pairing   string    // the pairing's file path, for Reviews
	Reason    i18n.Text // in words
}

// Due computes the teachers' working list for opt.Month as of opt.Today.
//
// A child is owed a talk and a parent contact in the month when left-behind
// and enrolled on ref = min(Today, last day of the month); talks and contacts
// count when dated in the month and on or before Today, with talks counted
// under the same rules as the talks indicator (rules.talks_per_month, and
// rules.talk_by: the head teacher of the child's class, or any staff).
// A pairing is due a review when it is active on Today and its last review,
// or its start when it has none, is more than ReviewInterval days before
// Today.
func Due(ds *record.Dataset, opt DueOptions) *DueResult {
	res := &DueResult{Month: opt.Month}
	if ds == nil || ds.Config == nil || opt.Month == 0 || opt.Today == 0 {
		return res
	}
	cfg := ds.Config
	talks := map[string][]*record.Talk{}
	for _, k := range ds.Talks {
		if k != nil {
			talks[k.Child] = append(talks[k.Child], k)
		}
	}
	item := func(c *record.Child, staff string, reason i18n.Text) DueItem {
		it := DueItem{Child: c.ID, Name: c.Name, Class: c.Class, Staff: staff, Reason: reason}
		if staff != "" {
			it.StaffName = cfg.StaffName(staff)
		}
		return it
	}
	ref := min(opt.Today, opt.Month.Last())
	from, to := opt.Month.First(), min(opt.Month.Last(), opt.Today)
	for _, c := range ds.Children {
		if c == nil {
			continue
		}
		ht := headTeacher(cfg, c)
		if c.LeftBehindOn(ref) && enrolled(c, ref) {
			s := countTalks(cfg, c, talks[c.ID], from, to)
			if s.count < cfg.Rules.TalksPerMonth {
				res.Talks = append(res.Talks, item(c, ht, talkReason(cfg, c, opt.Month, s)))
			}
			if s.contacts == 0 {
				res.Contacts = append(res.Contacts, item(c, ht,
					i18n.Tf("%s 尚无家长联系反馈记录", "no parent contact in %s yet", opt.Month)))
			}
		}
		if Responsible(c, opt.Today) {
			if missing := Complete(c); len(missing) > 0 {
				res.Incomplete = append(res.Incomplete, item(c, ht, MissingReason(missing)))
			}
		}
	}
	staffIDs := map[string]bool{}
	for _, s := range cfg.Staff {
		staffIDs[s.ID] = true
	}
	for _, p := range ds.Pairings {
		if p == nil || !p.ActiveOn(opt.Today) {
			continue
		}
		last := p.Start
		reviewed := false
		for _, r := range p.Reviews {
			if r.Date != 0 && r.Date <= opt.Today && r.Date >= last {
				last, reviewed = r.Date, true
			}
		}
		days := daysBetween(last, opt.Today)
		if days <= ReviewInterval {
			continue
		}
		c := ds.Child(p.Child)
		if c == nil {
			c = &record.Child{ID: p.Child}
		}
		// A teacher mentor follows up their own pairing; a proxy parent, a
		// peer helper or a volunteer is not staff, so the child's head
		// teacher follows it up (and care due --by finds it there).
		mentorStaff := ""
		if staffIDs[p.Mentor] && p.Mentor != "" {
			mentorStaff = p.Mentor
		}
		staff := mentorStaff
		if staff == "" {
			staff = headTeacher(cfg, c)
		}
		role := roleName(p.Role)
		var why i18n.Text
		if reviewed {
			why = i18n.Tf("%[1]s（%[2]s）：上次回访为 %[3]s，已过 %[4]d 天", "%[5]s (%[2]s): last review on %[3]s, %[4]d days ago",
				role.Zh, mentorName(cfg, p.Mentor, mentorStaff), last, days, role.En)
		} else {
			why = i18n.Tf("%[1]s（%[2]s）：自 %[3]s 结对以来尚无回访记录，已过 %[4]d 天",
				"%[5]s (%[2]s): no review since the pairing started on %[3]s, %[4]d days ago",
				role.Zh, mentorName(cfg, p.Mentor, mentorStaff), last, days, role.En)
		}
		it := item(c, staff, why)
		if p.File != nil {
			it.Pairing = p.File.Path
		}
		res.Reviews = append(res.Reviews, it)
	}
	for _, l := range []*[]DueItem{&res.Talks, &res.Contacts, &res.Reviews, &res.Incomplete} {
		*l = filterSort(*l, opt.By)
	}
	return res
}

func mentorName(cfg *record.Config, mentor, staff string) string {
	if staff != "" {
		return cfg.StaffName(staff)
	}
	return mentor
}

// roleName returns the name of a pairing role.
func roleName(role string) i18n.Text {
	switch role {
	case "teacher":
		return i18n.T("帮扶教师", "teacher mentor")
	case "proxy_parent":
		return i18n.T("代理家长", "proxy parent")
	case "peer":
		return i18n.T("学习帮手", "peer helper")
	case "volunteer":
		return i18n.T("爱心爸爸妈妈", "volunteer")
	}
	return i18n.T(role, role)
}

func filterSort(items []DueItem, by string) []DueItem {
	out := items[:0]
	for _, it := range items {
		if by == "" || it.Staff == by {
			out = append(out, it)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		p, q := out[i], out[j]
		if p.Staff != q.Staff {
			return p.Staff < q.Staff
		}
		if p.Class != q.Class {
			return p.Class < q.Class
		}
		if p.Child != q.Child {
			return p.Child < q.Child
		}
		return p.Pairing < q.Pairing
	})
	if len(out) == 0 {
		return nil
	}
	return out
}
