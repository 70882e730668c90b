package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/care-tool/care/internal/cache"
	"github.com/care-tool/care/internal/diag"
	"github.com/care-tool/care/internal/gitrepo"
	"github.com/care-tool/care/internal/record"
	"github.com/care-tool/care/internal/render"
	"github.com/care-tool/care/internal/store"
	"github.com/care-tool/care/internal/validate"
)

type validateOptions struct {
	format  string
	strict  bool
	showPII bool
	quiet   bool
}

func (app *App) newValidateCmd() *cobra.Command {
	opts := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check every record against the schemas and the programme's rules",
		Long: `Check care.yaml and every record under children/, pairings/ and talks/:
YAML syntax, the JSON Schemas (unknown fields, missing fields, wrong values),
real and not future dates, date order, id numbers (GB 11643), phone numbers,
talk logs in their month's folder, unique ids and references between records.

Every problem is reported in one run, sorted by file and line, with the name
of the check in brackets and a hint where a fix can be suggested. Phone and id
numbers in messages are masked unless --show-pii is given.

Formats: text (default), json, github (GitHub/Gitea/Forgejo Actions
annotations; chosen automatically when GITHUB_ACTIONS=true), junit.

Exit status:
  0  the records are valid (warnings allowed)
  1  invalid records (or any warning, with --strict)
  2  usage or runtime error (no care.yaml found, unreadable folder)`,
		Example: `  care validate
  care -C examples/broken validate
  care validate --format json
  care validate --format junit > care-junit.xml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("format") && app.Getenv("GITHUB_ACTIONS") == "true" {
				opts.format = "github"
			}
			return app.runValidate(opts)
		},
	}
	cmd.Flags().StringVar(&opts.format, "format", "text", "output format: text, json, github or junit")
	cmd.Flags().BoolVar(&opts.strict, "strict", false, "treat warnings as errors (exit 1)")
	cmd.Flags().BoolVar(&opts.showPII, "show-pii", false, "show phone and id numbers in full in messages")
	cmd.Flags().BoolVarP(&opts.quiet, "quiet", "q", false, "print nothing when the records are valid")
	return cmd
}

// cacheOn says whether care may read and write its cache of parsed
// records (neither --no-cache nor CARE_NO_CACHE).
func (app *App) cacheOn() bool {
	return !app.noCache && !isTrue(app.Getenv("CARE_NO_CACHE"))
}

// check loads the repository and validates it, through the cache of parsed
// records (.care/cache) unless --no-cache or CARE_NO_CACHE=1 turns it off;
// the result is the same either way. The files come back without their
// yaml.Node (Doc): only the decoded records and the positions the
// cross-record checks need are kept.
func (app *App) check(root string, showPII bool) (*store.Loaded, []diag.Diagnostic, error) {
	today, err := app.today()
	if err != nil {
		return nil, nil, err
	}
	vo := validate.Options{Today: today, ShowPII: showPII}
	co := store.CacheOptions{Today: today, PII: showPII, Check: func(f *record.File) []diag.Diagnostic { return validate.CheckFile(f, vo) }}
	if app.cacheOn() {
		co.Dir, co.Key = cache.Dir(root), cache.Key(Version)
	}
	// Parsing allocates many short-lived trees around a growing set of
	// decoded records: collecting less often saves a fifth of the CPU time
	// of a cold run at town scale, for about 200 MB more
	// (docs/performance.md). The soft limit keeps the heap within bounds.
	// Settings the user made (GOGC, GOMEMLIMIT) win.
	if app.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	if app.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(768 << 20))
	}
	cl, err := store.LoadDirCached(context.Background(), root, co)
	if err != nil {
		return nil, nil, err
	}
	if isTrue(app.Getenv("CARE_CACHE_TRACE")) {
		fmt.Fprintf(app.IO.ErrOut, "care: cache: %s\n", cl.Stats)
	}
	// The files have no Doc, so Run's per-file checks find nothing more:
	// their diagnostics, from the cache or from Check, come in with the
	// loader's, in the order Run would have put them.
	loadDiags := append(cl.Diags[:len(cl.Diags):len(cl.Diags)], cl.CheckDiags...)
	ds := validate.Run(cl.Files, cl.Dataset, loadDiags, vo)
	return cl.Loaded, ds, nil
}

// isTrue reads a yes/no environment variable: set and not 0 or false.
func isTrue(v string) bool {
	v = strings.TrimSpace(strings.ToLower(v))
	return v != "" && v != "0" && v != "false" && v != "no"
}

func (app *App) runValidate(opts *validateOptions) error {
	switch opts.format {
	case "text", "json", "github", "junit":
	default:
		return usagef("--format must be text, json, github or junit, not %q", opts.format)
	}
	root, err := app.root()
	if err != nil {
		return err
	}
	l, ds, err := app.check(root, opts.showPII)
	if err != nil {
		return err
	}
	ro := render.DiagOptions{Lang: app.lang(l.Dataset.Config), Color: app.IO.ColorEnabled(), Files: len(l.Files)}
	switch opts.format {
	case "json":
		err = render.DiagJSON(app.IO.Out, ds, ro)
	case "github":
		ro.Prefix = app.workspacePrefix(root)
		err = render.DiagGitHub(app.IO.Out, ds, ro)
	case "junit":
		err = render.DiagJUnit(app.IO.Out, ds, ro)
	default:
		err = render.DiagText(app.IO.Out, ds, ro)
		if err == nil && (!opts.quiet || len(ds) > 0) {
			_, err = app.IO.ErrOut.Write([]byte(render.DiagSummary(ds, ro) + "\n"))
		}
	}
	if err != nil {
		return err
	}
	errs, warns := diag.Count(ds)
	if errs > 0 || opts.strict && warns > 0 {
		return &exitError{ExitFindings}
	}
	return nil
}

// workspacePrefix returns the path from the root of the checkout to the
// records folder root, which GitHub, Gitea and Forgejo annotations need in
// front of each file: from GITHUB_WORKSPACE when it holds root, else from
// the top of the git work tree, else from the current folder; "" when root
// is the top or nothing fits.
func (app *App) workspacePrefix(root string) string {
	inside := func(base string) (string, bool) {
		if base == "" {
			return "", false
		}
		if b, err := filepath.EvalSymlinks(base); err == nil {
			base = b
		}
		r := root
		if x, err := filepath.EvalSymlinks(root); err == nil {
			r = x
		}
		rel, err := filepath.Rel(base, r)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "", false
		}
		if rel == "." {
			return "", true
		}
		return filepath.ToSlash(rel), true
	}
	if p, ok := inside(app.Getenv("GITHUB_WORKSPACE")); ok {
		return p
	}
	if repo, err := gitrepo.Open(context.Background(), root); err == nil {
		return repo.Prefix()
	}
	wd, _ := os.Getwd()
	p, _ := inside(wd)
	return p
}
