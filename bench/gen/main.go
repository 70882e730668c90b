// Command gen writes a synthetic care repository for benchmarks:
//
//	go run ./bench/gen -children 5000 -months 10 -seed 1 -out /tmp/care-L [-git]
//
// The repository is valid (care validate finds no error) as long as today,
// or CARE_TODAY, is not before -today. With -git the folder becomes a git
// repository with one commit per week over the months of talk logs.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/care-tool/care/bench"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/synth"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	children := fs.Int("children", 300, "number of children")
	months := fs.Int("months", 10, "months of talk logs, ending with the month of -today")
	seed := fs.Uint64("seed", 1, "seed of the generator")
	out := fs.String("out", "", "folder to write (required; must not hold a care repository)")
	withGit := fs.Bool("git", false, "make the folder a git repository with one commit per week")
	todayFlag := fs.String("today", "", "last day of the records, YYYY-MM-DD (default: CARE_TODAY, else today)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "gen: usage: gen -out DIR [-children N] [-months N] [-seed N] [-today YYYY-MM-DD] [-git]")
		return 2
	}
	day := *todayFlag
	if day == "" {
		day = strings.TrimSpace(os.Getenv("CARE_TODAY"))
	}
	today := record.FromTime(time.Now())
	if day != "" {
		d, err := record.ParseDate(day)
		if err != nil {
			fmt.Fprintf(os.Stderr, "gen: -today: %v\n", err)
			return 2
		}
		today = d
	}
	start := time.Now()
	g, err := bench.Write(*out, synth.Options{Children: *children, Months: *months, Seed: *seed, Today: today}, *withGit)
	if err != nil {
		fmt.Fprintf(os.Stderr, "gen: %v\n", err)
		return 1
	}
	c, p, t := g.Counts()
	fmt.Fprintf(os.Stderr, "gen: wrote %s: %d children, %d pairings, %d talk logs (%d files) in %.1fs\n",
		*out, c, p, t, 1+c+p+t, time.Since(start).Seconds())
	return 0
}
