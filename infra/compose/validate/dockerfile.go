package main

// Checks of the Dockerfiles that the Compose file builds, with BuildKit's own Dockerfile front end
// (github.com/moby/buildkit/frontend/dockerfile): the rules of `docker build --check`, run once
// per service with that service's build args, then this repository's rules:
//
//   - every COPY/ADD source from the build context exists and is not excluded by .dockerignore;
//   - a stage that copies package-lock.json also copies every npm workspace's package.json;
//   - .dockerignore keeps node_modules, dist, .local and .git out of the context;
//   - the stage that is built (build.target, else the last) resolves to a stage of the file when
//     its FROM uses a build arg (FROM runtime-${SERVICE}), and the PORT it sets and EXPOSEs
//     matches the service's PORT in the Compose file and its published target ports.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/linter"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerfile/shell"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
	digest "github.com/opencontainers/go-digest"
)

// offlineResolver answers every base-image lookup with a minimal config, so that linting needs
// neither a Docker engine nor a registry. (Only the rules that read a base image's own ENV or
// platform are blind to the real image.)
type offlineResolver struct{}

func (offlineResolver) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	cfg := []byte(`{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},"rootfs":{"type":"layers","diff_ids":[]}}`)
	return ref, digest.FromBytes(cfg), cfg, nil
}

type parsedDockerfile struct {
	path     string
	data     []byte
	stages   []instructions.Stage
	metaArgs []instructions.ArgCommand
	escape   rune
}

func loadDockerfile(path string) (*parsedDockerfile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	res, err := parser.Parse(strings.NewReader(string(data)))
	if err != nil {
		return nil, err
	}
	stages, metaArgs, err := instructions.Parse(res.AST, linter.New(&linter.Config{SkipAll: true}))
	if err != nil {
		return nil, err
	}
	return &parsedDockerfile{path: path, data: data, stages: stages, metaArgs: metaArgs, escape: res.EscapeToken}, nil
}

// lint runs BuildKit's Dockerfile checks (all stages) with the given build args and target.
func (d *parsedDockerfile) lint(buildArgs map[string]string, target string) ([]string, error) {
	src := llb.Local("dockerfile")
	smap := llb.NewSourceMap(&src, d.path, "Dockerfile", d.data)
	def, err := src.Marshal(context.Background())
	if err != nil {
		return nil, err
	}
	smap.Definition = def
	res, err := dockerfile2llb.DockerfileLint(context.Background(), d.data, dockerfile2llb.ConvertOpt{
		Config:       dockerui.Config{BuildArgs: buildArgs, Target: target},
		MetaResolver: offlineResolver{},
		SourceMap:    smap,
	})
	if err != nil {
		return nil, err
	}
	var out []string
	for _, w := range res.Warnings {
		line := ""
		if len(w.Location.Ranges) > 0 && w.Location.Ranges[0].Start != nil {
			line = fmt.Sprintf(" (line %d)", w.Location.Ranges[0].Start.Line)
		}
		out = append(out, fmt.Sprintf("%s: %s%s", w.RuleName, w.Detail, line))
	}
	if res.Error != nil {
		out = append(out, "build error: "+res.Error.Message)
	}
	return out, nil
}

type envMap map[string]string

func (e envMap) Get(k string) (string, bool) { v, ok := e[k]; return v, ok }
func (e envMap) Keys() []string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k)
	}
	return keys
}

// globalArgs: the ARGs before the first FROM, with their defaults overridden by build args.
func (d *parsedDockerfile) globalArgs(buildArgs map[string]string) (envMap, error) {
	lex := shell.NewLex(d.escape)
	env := envMap{}
	for _, cmd := range d.metaArgs {
		for _, kv := range cmd.Args {
			if v, ok := buildArgs[kv.Key]; ok {
				env[kv.Key] = v
			} else if kv.Value != nil {
				v, _, err := lex.ProcessWord(*kv.Value, env)
				if err != nil {
					return nil, err
				}
				env[kv.Key] = v
			}
		}
	}
	return env, nil
}

type stageSummary struct {
	chain  []string // stage names from the built one down to the first that is an image
	image  string   // the base image at the bottom of the chain
	port   string   // last ENV PORT along the chain ("" if none)
	expose []string // EXPOSEd ports along the chain
}

// summarize follows the built stage back through FROM <stage> to an image.
func (d *parsedDockerfile) summarize(buildArgs map[string]string, target string) (*stageSummary, error) {
	if len(d.stages) == 0 {
		return nil, fmt.Errorf("no stages")
	}
	args, err := d.globalArgs(buildArgs)
	if err != nil {
		return nil, err
	}
	lex := shell.NewLex(d.escape)
	index := map[string]int{}
	for i, st := range d.stages {
		if st.Name != "" {
			index[strings.ToLower(st.Name)] = i
		}
	}
	cur := len(d.stages) - 1
	if target != "" {
		i, ok := index[strings.ToLower(target)]
		if !ok {
			return nil, fmt.Errorf("build target %q is not a stage of the file", target)
		}
		cur = i
	}
	sum := &stageSummary{}
	var chain []int
	for {
		st := d.stages[cur]
		chain = append(chain, cur)
		name := st.Name
		if name == "" {
			name = fmt.Sprintf("#%d", cur)
		}
		sum.chain = append(sum.chain, name)
		base, _, err := lex.ProcessWord(st.BaseName, args)
		if err != nil {
			return nil, fmt.Errorf("stage %s: FROM %s: %v", name, st.BaseName, err)
		}
		i, isStage := index[strings.ToLower(base)]
		if isStage && i < cur {
			cur = i
			continue
		}
		if strings.Contains(st.BaseName, "$") && !strings.ContainsAny(base, ":/@") {
			return nil, fmt.Errorf("stage %s: FROM %s resolves to %q, which is no stage of the file (and no image with a tag)",
				name, st.BaseName, base)
		}
		sum.image = base
		break
	}
	// ENV and EXPOSE, from the bottom of the chain up.
	for k := len(chain) - 1; k >= 0; k-- {
		for _, cmd := range d.stages[chain[k]].Commands {
			switch c := cmd.(type) {
			case *instructions.EnvCommand:
				for _, kv := range c.Env {
					if kv.Key == "PORT" {
						sum.port = kv.Value
					}
				}
			case *instructions.ExposeCommand:
				sum.expose = append(sum.expose, c.Ports...)
			}
		}
	}
	return sum, nil
}

// contextChecks: COPY/ADD sources, workspace manifests, .dockerignore. Once per Dockerfile.
func (d *parsedDockerfile) contextChecks(contextDir string) []string {
	var problems []string
	rel := func(p string) string { return relTo(contextDir, p) }

	ignore, ignoreFile, err := loadDockerignore(contextDir, d.path)
	if err != nil {
		return []string{err.Error()}
	}
	excluded := func(p string) bool {
		if ignore == nil {
			return false
		}
		m, _ := ignore.MatchesOrParentMatches(filepath.ToSlash(p))
		return m
	}

	copied := map[string]bool{}
	copiesLock := false
	for _, st := range d.stages {
		for _, cmd := range st.Commands {
			var sources []string
			switch c := cmd.(type) {
			case *instructions.CopyCommand:
				if c.From != "" {
					continue
				}
				sources = c.SourcePaths
			case *instructions.AddCommand:
				sources = c.SourcePaths
			default:
				continue
			}
			for _, s := range sources {
				if strings.Contains(s, "$") || strings.Contains(s, "://") || strings.HasPrefix(s, "git@") {
					continue
				}
				clean := strings.TrimPrefix(filepath.Clean("/"+s), "/")
				if clean == "" {
					clean = "."
				}
				copied[clean] = true
				if clean == "package-lock.json" {
					copiesLock = true
				}
				matches, _ := filepath.Glob(filepath.Join(contextDir, clean))
				if len(matches) == 0 {
					problems = append(problems, fmt.Sprintf("%s: %s %s: %s does not exist in the build context %s",
						rel(d.path), cmd.Name(), s, clean, contextDir))
					continue
				}
				for _, m := range matches {
					r, _ := filepath.Rel(contextDir, m)
					if r != "." && excluded(r) {
						problems = append(problems, fmt.Sprintf("%s: %s %s: %s is excluded by %s",
							rel(d.path), cmd.Name(), s, r, rel(ignoreFile)))
					}
				}
			}
		}
	}

	workspaces, err := npmWorkspaces(contextDir)
	if err != nil {
		problems = append(problems, err.Error())
	}
	if copiesLock {
		for _, w := range workspaces {
			if !copied[w+"/package.json"] {
				problems = append(problems, fmt.Sprintf("%s: npm workspace %s: its package.json is not copied before `npm ci` (add COPY %s/package.json %s/)",
					rel(d.path), w, w, w))
			}
		}
	}

	mustIgnore := []string{"node_modules", ".git", ".local"}
	for _, w := range workspaces {
		mustIgnore = append(mustIgnore, w+"/node_modules", w+"/dist")
	}
	for _, p := range mustIgnore {
		if !excluded(p) {
			name := ".dockerignore"
			if ignoreFile != "" {
				name = rel(ignoreFile)
			}
			problems = append(problems, fmt.Sprintf("%s does not exclude %s (host installs and builds must stay out of the image)", name, p))
		}
	}
	return problems
}

// loadDockerignore reads <Dockerfile>.dockerignore if there is one, else <context>/.dockerignore.
func loadDockerignore(contextDir, dockerfile string) (*patternmatcher.PatternMatcher, string, error) {
	for _, p := range []string{dockerfile + ".dockerignore", filepath.Join(contextDir, ".dockerignore")} {
		f, err := os.Open(p)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return nil, "", err
		}
		patterns, err := ignorefile.ReadAll(f)
		f.Close()
		if err != nil {
			return nil, "", fmt.Errorf("%s: %v", p, err)
		}
		pm, err := patternmatcher.New(patterns)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %v", p, err)
		}
		return pm, p, nil
	}
	return nil, "", nil
}

// npmWorkspaces lists the workspace folders of <dir>/package.json ("a/*" globs or plain folders).
func npmWorkspaces(dir string) ([]string, error) {
	data, err := os.ReadFile(filepath.Join(dir, "package.json"))
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var pkg struct {
		Workspaces []string `json:"workspaces"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		return nil, fmt.Errorf("package.json: %v", err)
	}
	var out []string
	for _, pattern := range pkg.Workspaces {
		matches, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			return nil, fmt.Errorf("package.json workspaces %q: %v", pattern, err)
		}
		for _, m := range matches {
			if _, err := os.Stat(filepath.Join(m, "package.json")); err == nil {
				r, _ := filepath.Rel(dir, m)
				out = append(out, filepath.ToSlash(r))
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// checkBuilds runs the Dockerfile checks for every service that has a build section.
func checkBuilds(projectDir string, project *types.Project, stdout io.Writer) []string {
	var problems []string
	files := map[string]*parsedDockerfile{}
	contextChecked := map[string]bool{}

	for _, name := range sortedKeys(project.Services) {
		svc := project.Services[name]
		if svc.Build == nil {
			continue
		}
		path := dockerfilePath(svc.Build)
		d, ok := files[path]
		if !ok {
			var err error
			d, err = loadDockerfile(path)
			if os.IsNotExist(err) {
				problems = append(problems, fmt.Sprintf("service %s: Dockerfile %s does not exist", name, relTo(projectDir, path)))
				files[path] = nil
				continue
			}
			if err != nil {
				problems = append(problems, fmt.Sprintf("service %s: %s: %v", name, relTo(projectDir, path), err))
				files[path] = nil
				continue
			}
			files[path] = d
		}
		if d == nil {
			continue
		}
		if key := path + "\x00" + svc.Build.Context; !contextChecked[key] {
			contextChecked[key] = true
			problems = append(problems, d.contextChecks(svc.Build.Context)...)
		}

		buildArgs := map[string]string{}
		for k, v := range svc.Build.Args {
			if v != nil {
				buildArgs[k] = *v
			}
		}
		warnings, err := d.lint(buildArgs, svc.Build.Target)
		if err != nil {
			problems = append(problems, fmt.Sprintf("service %s: %s: %v", name, relTo(projectDir, path), err))
			continue
		}
		for _, w := range warnings {
			problems = append(problems, fmt.Sprintf("service %s: %s: %s", name, relTo(projectDir, path), w))
		}

		sum, err := d.summarize(buildArgs, svc.Build.Target)
		if err != nil {
			problems = append(problems, fmt.Sprintf("service %s: %s: %v", name, relTo(projectDir, path), err))
			continue
		}
		fmt.Fprintf(stdout, "  %s: %s %s -> stages %s <- %s, PORT=%s EXPOSE=%s, lint: %d warnings\n",
			name, relTo(projectDir, path), argString(buildArgs), strings.Join(sum.chain, " <- "), sum.image,
			orDash(sum.port), orDash(strings.Join(sum.expose, ",")), len(warnings))
		problems = append(problems, portChecks(svc, sum)...)
	}
	return problems
}

func portChecks(svc types.ServiceConfig, sum *stageSummary) []string {
	var problems []string
	port := sum.port
	if v, ok := svc.Environment["PORT"]; ok && v != nil {
		if sum.port != "" && *v != sum.port {
			problems = append(problems, fmt.Sprintf("service %s: environment PORT=%s, but the image sets PORT=%s", svc.Name, *v, sum.port))
		}
		port = *v
	}
	if port == "" {
		return problems
	}
	exposed := false
	for _, e := range sum.expose {
		if strings.SplitN(e, "/", 2)[0] == port {
			exposed = true
		}
	}
	if !exposed {
		problems = append(problems, fmt.Sprintf("service %s: listens on PORT=%s, but the image EXPOSEs %s", svc.Name, port, orDash(strings.Join(sum.expose, ","))))
	}
	for _, p := range svc.Ports {
		if strconv.Itoa(int(p.Target)) != port {
			problems = append(problems, fmt.Sprintf("service %s: publishes container port %d, but the service listens on PORT=%s", svc.Name, p.Target, port))
		}
	}
	return problems
}

func dockerfilePath(b *types.BuildConfig) string {
	p := b.Dockerfile
	if p == "" {
		p = "Dockerfile"
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(b.Context, p)
	}
	return p
}

func argString(args map[string]string) string {
	var parts []string
	for _, k := range sortedKeys(args) {
		parts = append(parts, k+"="+args[k])
	}
	return strings.Join(parts, " ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
