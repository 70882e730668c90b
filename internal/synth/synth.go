// Package synth writes synthetic care repositories of any size for
// benchmarks and load tests: a valid care.yaml with classes across six
// grades, children's files with transfers, dropouts, suspensions and
// incomplete fields, pairings of every role, and one to three talk logs per
// child per month. Everything is deterministic from the seed, so that two
// runs with the same options write byte-identical trees.
//
// Every record passes care validate when today is on or after
// Options.Today: id numbers carry a correct GB 11643 check character and
// agree with birth date and gender, phones are quoted, no record date is
// after Options.Today, talk logs sit in the folder of their month,
// references resolve and enrolment events are in date order.
//
// Besides the working tree, History writes the same repository as a git
// fast-import stream of weekly commits, each adding what happened that week,
// so that diffs between months have realistic changes to show.
package synth

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/care-tool/care/internal/record"
)

// Options say what to generate.
type Options struct {
	Children int         // number of children (at least 1)
	Months   int         // months of talk logs, ending with the month of Today (at least 1)
	Seed     uint64      // seed of the generator
	Today    record.Date // no record is dated after this day
}

// Sizes are the benchmark sizes of issue 7: S, M and L children with a
// school year (September to June) of talk logs.
var Sizes = map[string]Options{
	"S": {Children: 300, Months: 10, Seed: 1, Today: record.NewDate(2026, time.June, 30)},
	"M": {Children: 1000, Months: 10, Seed: 1, Today: record.NewDate(2026, time.June, 30)},
	"L": {Children: 5000, Months: 10, Seed: 1, Today: record.NewDate(2026, time.June, 30)},
}

// File is one generated file: a slash path relative to the repository root
// and its content.
type File struct {
	Path string
	Data []byte
}

// Repo is a generated repository: its records and the events that date them.
type Repo struct {
	opt      Options
	r        *rand.Rand
	sy       int            // the year whose September starts Today's school year
	first    record.Month   // first month with talk logs
	months   []record.Month // months with talk logs
	start    record.Date    // first day of the first month
	staff    []staff
	extra    []staff // staff who are not head teachers
	classes  []class
	children []*child
	pairings []*pairing
	talks    []*talk
	terms    []record.Term
}

type staff struct{ id, name string }

type class struct {
	id, name string
	grade    int
	head     string
}

type parent struct {
	name, relation, phone, work, employer string
	workSet                               bool // false: work_address: "" (an incomplete file)
}

type guardian struct {
	name, relation, occupation, phone, address, health string
	delegated                                          bool
	age                                                int
	noPhone                                            bool
}

type event struct {
	date         record.Date
	status       string
	from, school string
}

type child struct {
	id, name, gender string
	birth            record.Date
	idNumber         string
	class            string
	head             string // head teacher's staff id
	boarding         int    // 0 missing, 1 false, 2 true
	address, health  string
	noHealth         bool
	since, until     record.Date
	lbType           string
	parents          []parent
	guardian         *guardian
	events           []event
	priority, poor   bool
	struggling       bool
	hasSupport       bool
	aid              []string
	notes            string
	created          record.Date // the day the file first exists
}

type review struct {
	date record.Date
	note string
}

type pairing struct {
	path         string
	child        string
	role, mentor string
	start, end   record.Date
	focus        []string
	plan         string
	reviews      []review
}

type talk struct {
	path, child string
	date        record.Date
	by, kind    string
	topic       string
	summary     []string
	followUp    string
}

// New generates the records of a repository in memory.
func New(opt Options) (*Repo, error) {
	if opt.Children < 1 {
		return nil, fmt.Errorf("children must be at least 1, not %d", opt.Children)
	}
	if opt.Months < 1 || opt.Months > 120 {
		return nil, fmt.Errorf("months must be between 1 and 120, not %d", opt.Months)
	}
	if opt.Today == 0 {
		return nil, fmt.Errorf("today is not set")
	}
	g := &Repo{opt: opt, r: rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))}
	g.sy = opt.Today.Year()
	if opt.Today.Month() < time.September {
		g.sy--
	}
	last := record.MonthOf(opt.Today)
	g.first = last
	for i := 1; i < opt.Months; i++ {
		g.first = g.first.Prev()
	}
	for m := g.first; m <= last; m = m.Next() {
		g.months = append(g.months, m)
	}
	g.start = g.first.First()
	g.makeTerms()
	g.makeSchool()
	g.makeChildren()
	g.makePairings()
	g.makeTalks()
	return g, nil
}

// Counts returns how many children, pairings and talk logs g holds.
func (g *Repo) Counts() (children, pairings, talks int) {
	return len(g.children), len(g.pairings), len(g.talks)
}

func (g *Repo) chance(p float64) bool { return g.r.Float64() < p }
func (g *Repo) intn(n int) int        { return g.r.IntN(n) }
func (g *Repo) pick(list []string) string {
	return list[g.r.IntN(len(list))]
}

// between returns a random day in [a, b]; a when b < a.
func (g *Repo) between(a, b record.Date) record.Date {
	if b <= a {
		return a
	}
	n := days(a, b)
	return a.AddDays(g.intn(n + 1))
}

func days(a, b record.Date) int { return int(b.Time().Sub(a.Time()).Hours() / 24) }

func (g *Repo) makeTerms() {
	from := g.start.Year() - 1
	for y := from; y <= g.opt.Today.Year(); y++ {
		g.terms = append(g.terms,
			record.Term{ID: fmt.Sprintf("%d-spring", y), Name: fmt.Sprintf("%d年春季学期", y),
				Start: record.NewDate(y, time.February, 23), End: record.NewDate(y, time.July, 3)},
			record.Term{ID: fmt.Sprintf("%d-autumn", y), Name: fmt.Sprintf("%d年秋季学期", y),
				Start: record.NewDate(y, time.September, 1), End: record.NewDate(y+1, time.January, 22)})
	}
}

var cnDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// cn writes 1..99 in Chinese numerals.
func cn(n int) string {
	switch {
	case n <= 10:
		return cnDigits[n]
	case n < 20:
		return "十" + cnDigits[n-10]
	case n%10 == 0:
		return cnDigits[n/10] + "十"
	}
	return cnDigits[n/10] + "十" + cnDigits[n%10]
}

func (g *Repo) adult(male bool) string {
	if male {
		return g.pick(surnames) + g.pick(adultMen)
	}
	return g.pick(surnames) + g.pick(adultWomen)
}

func (g *Repo) makeSchool() {
	n := (g.opt.Children + 44) / 45
	if n < 6 {
		n = 6
	}
	perGrade := make([]int, 7)
	for i := 0; i < n; i++ {
		perGrade[1+i%6]++
	}
	id := 0
	for grade := 1; grade <= 6; grade++ {
		for k := 1; k <= perGrade[grade]; k++ {
			id++
			s := staff{id: fmt.Sprintf("T%03d", id), name: g.adult(g.chance(0.3))}
			g.staff = append(g.staff, s)
			g.classes = append(g.classes, class{id: fmt.Sprintf("%d-%d", grade, k),
				name: cn(grade) + "年级" + cn(k) + "班", grade: grade, head: s.id})
		}
	}
	extra := n/8 + 2
	for i := 0; i < extra; i++ {
		id++
		s := staff{id: fmt.Sprintf("T%03d", id), name: g.adult(g.chance(0.4))}
		g.staff = append(g.staff, s)
		g.extra = append(g.extra, s)
	}
}

func (g *Repo) mobile() string {
	prefixes := []string{"13", "15", "17", "18", "19", "14", "16"}
	return g.pick(prefixes) + fmt.Sprintf("%09d", g.intn(1_000_000_000))
}

func (g *Repo) landline() string {
	return fmt.Sprintf("0728-%d%06d", 2+g.intn(8), g.intn(1_000_000))
}

var regions = []string{"429004", "429005", "429006", "421022", "420821"}

// idNumber returns a GB 11643 resident id number for birth and gender.
func (g *Repo) idNumber(birth record.Date, male bool) string {
	seq := g.intn(50) * 2 // even
	if male {
		seq++
	}
	first17 := fmt.Sprintf("%s%04d%02d%02d%02d%d", g.pick(regions), birth.Year(), int(birth.Month()), birth.Day(), g.intn(100), seq%10)
	return first17 + string(checkChar(first17))
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// checkChar is the GB 11643 (ISO 7064 MOD 11-2) check character; the tests
// compare it with validate.IDCheckChar.
func checkChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return "10X98765432"[sum%11]
}

func (g *Repo) makeChildren() {
	seq := map[int]int{}
	today := g.opt.Today
	for i := 0; i < g.opt.Children; i++ {
		preschool := g.chance(0.003)
		var k class
		entry := 0
		if preschool {
			entry = g.sy + 1
		} else {
			k = g.classes[i%len(g.classes)]
			entry = g.sy - (k.grade - 1)
		}
		seq[entry]++
		male := g.chance(0.5)
		c := &child{id: fmt.Sprintf("%d%04d", entry, seq[entry]), class: k.id, head: k.head}
		sur := g.pick(surnames)
		if male {
			c.gender, c.name = "male", sur+g.pick(boyNames)
		} else {
			c.gender, c.name = "female", sur+g.pick(girlNames)
		}
		c.birth = record.NewDate(entry-7, time.September, 1).AddDays(g.intn(365))
		if g.chance(0.9) {
			c.idNumber = g.idNumber(c.birth, male)
		}
		switch r := g.r.Float64(); {
		case r < 0.05:
			c.boarding = 0
		case r < 0.2:
			c.boarding = 2
		default:
			c.boarding = 1
		}
		town := g.pick(towns)
		c.address = fmt.Sprintf("湖北省仙桃市%s%s%d组", town, g.pick(villages), 1+g.intn(12))
		c.health = g.pick(childHealth)

		entryDay := record.NewDate(entry, time.September, 1)
		// Left-behind since some day between the third birthday and the
		// start of the window; a few are identified during the window.
		earliest := c.birth.AddDays(3 * 365)
		if preschool || g.chance(0.06) {
			c.since = g.between(max(g.start, earliest), today)
		} else {
			c.since = g.between(earliest, max(earliest, min(g.start.AddDays(-1), entryDay.AddDays(400))))
		}
		c.created = c.since
		if c.created < g.start {
			c.created = g.start.AddDays(-1)
		}
		if g.chance(0.45) {
			c.lbType = "both_parents"
		} else {
			c.lbType = "one_parent"
		}
		if g.chance(0.04) && c.since < today.AddDays(-30) {
			c.until = g.between(max(c.since.AddDays(20), g.start), today)
		}
		// Parents away.
		fatherAway := c.lbType == "both_parents" || g.chance(0.7)
		motherAway := c.lbType == "both_parents" || !fatherAway
		if fatherAway {
			c.parents = append(c.parents, parent{name: sur + g.pick(adultMen), relation: "father", phone: g.mobile(),
				work: g.pick(workPlaces), workSet: true, employer: g.optional(0.7, employers)})
		}
		if motherAway {
			c.parents = append(c.parents, parent{name: g.pick(surnames) + g.pick(adultWomen), relation: "mother", phone: g.mobile(),
				work: g.pick(workPlaces), workSet: true, employer: g.optional(0.6, employers)})
		}
		// Guardian at home.
		gd := &guardian{occupation: g.pick(occupations), health: g.pick(guardianHealth), address: c.address}
		switch r := g.r.Float64(); {
		case r < 0.45:
			gd.relation, gd.name, gd.age = "grandmother", g.pick(surnames)+g.pick(adultWomen), 55+g.intn(25)
		case r < 0.8:
			gd.relation, gd.name, gd.age = "grandfather", sur+g.pick(adultMen), 57+g.intn(25)
		case r < 0.88:
			gd.relation, gd.name, gd.age = "relative", g.adult(g.chance(0.5)), 30+g.intn(30)
		case r < 0.93:
			gd.relation, gd.name, gd.age, gd.delegated = "other", g.adult(g.chance(0.3)), 35+g.intn(25), true
			gd.address = fmt.Sprintf("湖北省仙桃市%s%s%d组", town, g.pick(villages), 1+g.intn(12))
		default:
			if c.lbType == "one_parent" {
				if fatherAway {
					gd.relation, gd.name = "mother", g.pick(surnames)+g.pick(adultWomen)
				} else {
					gd.relation, gd.name = "father", sur+g.pick(adultMen)
				}
				gd.age, gd.occupation = 28+g.intn(15), g.pick([]string{"务农", "在家照看孩子", "打零工", "个体经营"})
			} else {
				gd.relation, gd.name, gd.age = "grandmother", g.pick(surnames)+g.pick(adultWomen), 55+g.intn(25)
			}
		}
		if g.chance(0.15) {
			gd.phone = g.landline()
		} else {
			gd.phone = g.mobile()
		}
		c.guardian = gd

		// Enrolment.
		if !preschool {
			first := event{date: entryDay, status: record.Enrolled}
			if k.grade > 1 && g.chance(0.03) {
				first.date = g.between(entryDay.AddDays(30), g.start.AddDays(-10))
				if g.chance(0.5) {
					first.from = g.pick(villageSchools)
				} else {
					first.from = g.pick(otherSchools)
				}
			}
			if first.date <= c.birth {
				first.date = entryDay
			}
			c.events = append(c.events, first)
			lo := max(g.start, first.date.AddDays(1))
			switch r := g.r.Float64(); {
			case r < 0.02:
				c.events = append(c.events, event{date: g.between(lo, today), status: record.TransferredOut, school: g.pick(otherSchools)})
			case r < 0.027:
				c.events = append(c.events, event{date: g.between(lo, today), status: record.DroppedOut})
			case r < 0.034:
				d := g.between(lo, today)
				c.events = append(c.events, event{date: d, status: record.Suspended})
				if back := d.AddDays(30 + g.intn(90)); back <= today {
					c.events = append(c.events, event{date: back, status: record.Enrolled})
				}
			}
		}
		// Support.
		if g.chance(0.6) {
			c.hasSupport = true
			c.priority = g.chance(0.12)
			c.poor = g.chance(0.15)
			c.struggling = g.chance(0.15)
			for _, a := range aids {
				if g.chance(0.12) {
					c.aid = append(c.aid, a)
				}
			}
		}
		if g.chance(0.15) {
			c.notes = g.pick(notesPool)
			if g.chance(0.3) {
				c.notes += "\n" + g.pick(notesPool)
			}
		}
		// Gaps that make a file incomplete without making it invalid.
		if g.chance(0.06) {
			switch g.intn(5) {
			case 0:
				c.noHealth = true
			case 1:
				c.parents[0].workSet = false
			case 2:
				c.guardian.noPhone = true
			case 3:
				c.guardian = nil
			case 4:
				c.health = ""
			}
		}
		g.children = append(g.children, c)
	}
}

func (g *Repo) optional(p float64, list []string) string {
	if g.chance(p) {
		return g.pick(list)
	}
	return ""
}

// leaves returns the first day c is no longer enrolled after the window
// started (0 when never).
func (c *child) leaves() record.Date {
	for _, e := range c.events {
		if e.status != record.Enrolled {
			return e.date
		}
	}
	return 0
}

func (c *child) statusOn(d record.Date) string {
	s := ""
	for _, e := range c.events {
		if e.date <= d {
			s = e.status
		}
	}
	return s
}

func (c *child) leftBehindOn(d record.Date) bool {
	return c.since <= d && (c.until == 0 || c.until > d)
}

func (g *Repo) makePairings() {
	today := g.opt.Today
	yearStart := record.NewDate(g.sy, time.September, 1)
	for _, c := range g.children {
		if len(c.events) == 0 {
			continue
		}
		end := c.leaves()
		add := func(role, short, mentor string, start record.Date, focus []string) {
			start = max(start, c.since, c.events[0].date)
			if start > today {
				return
			}
			p := &pairing{path: fmt.Sprintf("pairings/%s-%s.yaml", c.id, short), child: c.id, role: role, mentor: mentor,
				start: start, focus: focus, plan: g.pick(plans[role])}
			if end != 0 && end >= start {
				p.end = end
			}
			stop := today
			if p.end != 0 {
				stop = p.end
			}
			for d := start.AddDays(25 + g.intn(20)); d <= stop; d = d.AddDays(30 + g.intn(30)) {
				p.reviews = append(p.reviews, review{date: d, note: g.pick(reviewNotes)})
			}
			g.pairings = append(g.pairings, p)
		}
		if (c.priority || c.poor || c.struggling) && g.chance(0.9) {
			mentor := c.head
			if g.chance(0.3) {
				mentor = g.extra[g.intn(len(g.extra))].id
			}
			add("teacher", "teacher", mentor, g.between(yearStart.AddDays(3), yearStart.AddDays(40)), [][]string{{"study", "mind"}, {"study"}, {"life", "mind"}, {"study", "life", "mind"}}[g.intn(4)])
		}
		if c.lbType == "both_parents" && g.chance(0.4) {
			add("proxy_parent", "proxy", g.adult(g.chance(0.4)), g.between(yearStart.AddDays(-300), yearStart.AddDays(60)), []string{"life", "mind"})
		}
		if g.chance(0.8) {
			male := g.chance(0.5)
			name := g.pick(surnames)
			if male {
				name += g.pick(boyNames)
			} else {
				name += g.pick(girlNames)
			}
			add("peer", "peer", name, g.between(yearStart.AddDays(5), yearStart.AddDays(30)), []string{"study"})
		}
		if g.chance(0.05) {
			add("volunteer", "volunteer", g.adult(g.chance(0.5)), g.between(yearStart.AddDays(-200), yearStart.AddDays(100)), []string{"life"})
		}
	}
}

func (g *Repo) makeTalks() {
	today := g.opt.Today
	for _, m := range g.months {
		used := map[string]int{}
		for _, c := range g.children {
			var active []record.Date
			for d := m.First(); d <= m.Last() && d <= today; d = d.AddDays(1) {
				if c.leftBehindOn(d) && c.statusOn(d) == record.Enrolled {
					active = append(active, d)
				}
			}
			if len(active) == 0 {
				continue
			}
			n := 1
			switch r := g.r.Float64(); {
			case r < 0.02:
				n = 0
			case r < 0.45:
				n = 1
			case r < 0.85:
				n = 2
			default:
				n = 3
			}
			for j := 0; j < n; j++ {
				t := &talk{child: c.id, date: active[g.intn(len(active))], by: c.head, followUp: g.pick(followUps)}
				switch j {
				case 0:
					t.kind, t.topic = record.TalkTalk, g.pick(talkTopics)
					if g.chance(0.05) {
						t.by = g.extra[g.intn(len(g.extra))].id
					}
					for k := 0; k < 1+g.intn(3); k++ {
						t.summary = append(t.summary, g.pick(talkLines))
					}
				case 1:
					t.kind, t.topic = record.TalkParentContact, "与在外父母联系"
					t.summary = []string{g.pick(contactLines)}
				default:
					t.kind, t.topic = record.TalkHomeVisit, "家访"
					if g.chance(0.5) {
						t.by = g.extra[g.intn(len(g.extra))].id
					}
					t.summary = []string{g.pick(homeVisitLines), g.pick(talkLines)}
				}
				base := fmt.Sprintf("talks/%s/%s-%s", m, t.date, c.id)
				used[base]++
				if k := used[base]; k > 1 {
					base += "-" + strconv.Itoa(k)
				}
				t.path = base + ".yaml"
				g.talks = append(g.talks, t)
			}
		}
	}
}

// plain returns s as a YAML scalar: as is when YAML reads it back as the
// same string, otherwise double-quoted.
func plain(s string) string {
	if s == "" {
		return `""`
	}
	safe := true
	switch s[0] {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ':
		safe = false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") || strings.HasSuffix(s, " ") || strings.ContainsAny(s, "\n\t") {
		safe = false
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		safe = false
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "~", "y", "n":
		safe = false
	}
	if safe {
		return s
	}
	return strconv.Quote(s)
}

func quote(s string) string { return strconv.Quote(s) }

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
