// Command ferretdb runs the embeddable FerretDB (SQLite backend) as the app's local
// MongoDB-compatible server. It wraps the library rather than building FerretDB's own
// cmd/ferretdb, whose version check panics when built outside FerretDB's repository
// (FerretDB issue 2982).
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/FerretDB/FerretDB/build/version"
	"github.com/FerretDB/FerretDB/ferretdb"
	"github.com/FerretDB/wire"
)

// ferretVersion reports the pinned FerretDB module version in buildInfo replies.
func ferretVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/FerretDB/FerretDB" {
				return d.Version
			}
		}
	}
	return "unknown"
}

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to listen on")
	sqliteURL := flag.String("sqlite-url", "", "SQLite URI of an existing data directory, e.g. file:/path/to/dir/")
	level := flag.String("log-level", "error", "log level: debug, info, warn, error")
	flag.Parse()

	if *sqliteURL == "" {
		fmt.Fprintln(os.Stderr, "ferretdb: --sqlite-url is required")
		os.Exit(2)
	}

	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: bad --log-level %q\n", *level)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: lvl}))

	version.Get().Version = ferretVersion()

	// The wire layer's NaN check ends the connection without a reply. Without it a document
	// holding NaN reaches the server's validation (patches/0003), which refuses it with an
	// error naming the field; queries may still compare with NaN.
	wire.CheckNaNs = false

	// Reads allocate a document per row: a larger heap between collections costs tens of MB
	// and saves about a fifth of a bulk read. GOGC in the environment still decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: *sqliteURL,
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %s\n", err)
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	// The parent process reads this line to learn that the listener is up.
	go func() { fmt.Println("listening " + f.MongoDBURI()) }()

	if err := f.Run(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %s\n", err)
		os.Exit(1)
	}
}
