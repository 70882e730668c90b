package cli

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/care-tool/care/internal/indicator"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/render"
)

type dueOptions struct {
	month  string
	by     string
	format string
}

func (app *App) newDueCmd() *cobra.Command {
	opts := &dueOptions{}
	cmd := &cobra.Command{
		Use:   "due",
		Short: "List what is still owed this month: talks, parent contacts, pairing reviews, incomplete files",
		Long: `Print the teachers' working list for a month (default: this month), as of
today: the children who still owe a talk with their head teacher (grouped by
head teacher), the children with no parent contact yet, the pairings with no
progress note for over a month, and the children whose files are incomplete.
In a month outside every term (the holidays) no talk or parent contact is
owed.

--by STAFF keeps only one teacher's items. Phone and id numbers never appear.

Exit status:
  0  the list was printed (it may be empty)
  1  the records are invalid
  2  usage or runtime error`,
		Example: `  care due
  care due --by T01
  care due --month 2026-10 --format markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return app.runDue(opts) },
	}
	cmd.Flags().StringVar(&opts.month, "month", "", "month `YYYY-MM` (default: this month)")
	cmd.Flags().StringVar(&opts.by, "by", "", "only the items of staff `ID`")
	cmd.Flags().StringVar(&opts.format, "format", "table", "output format: table, markdown or json")
	return cmd
}

func (app *App) runDue(opts *dueOptions) error {
	switch opts.format {
	case "table", "markdown", "json":
	default:
		return usagef("--format must be table, markdown or json, not %q", opts.format)
	}
	root, err := app.root()
	if err != nil {
		return err
	}
	l, err := app.loadValid(root)
	if err != nil {
		return err
	}
	cfg := l.Dataset.Config
	lang := app.lang(cfg)
	today, err := app.today()
	if err != nil {
		return err
	}
	month := record.MonthOf(today)
	if opts.month != "" {
		m, err := record.ParseMonth(opts.month)
		if err != nil {
			return usagef("--month: %w", err)
		}
		if m > month {
			return usagef("%s", lang.Pick(fmt.Sprintf("--month %s 还没有到", m), fmt.Sprintf("--month %s has not begun yet", m)))
		}
		month = m
	}
	asOf := today
	if month.Last() < today {
		asOf = month.Last()
	}
	if opts.by != "" {
		found := false
		var ids []string
		for _, s := range cfg.Staff {
			ids = append(ids, s.ID)
			found = found || s.ID == opts.by
		}
		if !found {
			return withHint(usagef("%s", lang.Pick(fmt.Sprintf("staff 名单中没有 %q", opts.by), fmt.Sprintf("no staff member %q", opts.by))),
				lang.Pick("已有：", "staff: ")+strings.Join(ids, ", "))
		}
	}
	res := indicator.Due(l.Dataset, indicator.DueOptions{Month: month, Today: asOf, By: opts.by})
	// Talks and parent contacts are owed in term months only (the talks
	// indicator counts nothing else): in the holidays none is listed.
	inTerm := len(cfg.Terms) == 0
	for _, t := range cfg.Terms {
		if t.Start <= month.Last() && t.End >= month.First() {
			inTerm = true
		}
	}
	if !inTerm {
		res.Talks, res.Contacts = nil, nil
	}
	d := &render.Due{Result: res, AsOf: asOf, Lang: lang, ByName: cfg.StaffName(opts.by), NoTerm: !inTerm}
	if opts.by == "" {
		d.ByName = ""
	}
	switch opts.format {
	case "json":
		enc := json.NewEncoder(app.IO.Out)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(d.JSON())
	case "markdown":
		return d.Markdown(app.IO.Out)
	}
	return d.Table(app.IO.Out)
}
