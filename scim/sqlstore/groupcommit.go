package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
)

// maxBatch bounds how many writes share one SQLite commit.
const maxBatch = 64

// errClosed is the error of a write after Close.
var errClosed = errors.New("sqlstore: the store is closed")

// groupCommit serialises SQLite's writers through one goroutine that runs
// the writes waiting at the same moment in one transaction, each inside a
// savepoint of its own, and commits them together: one fsync for the
// burst instead of one per write. Each write still lands completely or not
// at all (a failing one is rolled back to its savepoint; a failed commit
// fails them all), and no write is acknowledged before its commit.
type groupCommit struct {
	db   *sql.DB
	jobs chan *writeJob
	quit chan struct{}
	wg   sync.WaitGroup
	once sync.Once
}

type writeJob struct {
	ctx  context.Context
	fn   func(*sql.Tx) error
	done chan error
}

func newGroupCommit(db *sql.DB) *groupCommit {
	g := &groupCommit{db: db, jobs: make(chan *writeJob), quit: make(chan struct{})}
	g.wg.Add(1)
	go g.loop()
	return g
}

// do runs fn in the next batch and returns its outcome after the commit.
func (g *groupCommit) do(ctx context.Context, fn func(*sql.Tx) error) error {
	j := &writeJob{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case g.jobs <- j:
	case <-g.quit:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	err := <-j.done
	var p *fnPanic
	if errors.As(err, &p) {
		// Re-panic in the caller's goroutine, where net/http (or the
		// caller's own recover) handles it as it would without batching.
		panic(p.v)
	}
	return err
}

// fnPanic carries a panic of a write's fn from the batch goroutine back to
// the caller; the write was rolled back to its savepoint.
type fnPanic struct{ v any }

func (p *fnPanic) Error() string { return fmt.Sprintf("sqlstore: write panicked: %v", p.v) }

// call runs fn, turning a panic into *fnPanic so that one bad write cannot
// stop the batch goroutine and with it every later write.
func call(fn func(*sql.Tx) error, tx *sql.Tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &fnPanic{v}
		}
	}()
	return fn(tx)
}

func (g *groupCommit) close() {
	g.once.Do(func() { close(g.quit) })
	g.wg.Wait()
}

func (g *groupCommit) loop() {
	defer g.wg.Done()
	for {
		var batch []*writeJob
		select {
		case j := <-g.jobs:
			batch = append(batch, j)
		case <-g.quit:
			return
		}
	more:
		for len(batch) < maxBatch {
			select {
			case j := <-g.jobs:
				batch = append(batch, j)
			default:
				break more
			}
		}
		g.run(batch)
	}
}

func (g *groupCommit) run(batch []*writeJob) {
	results := make([]error, len(batch))
	fail := func(err error) {
		for _, j := range batch {
			j.done <- err
		}
	}
	ctx := context.Background()
	tx, err := g.db.BeginTx(ctx, nil)
	if err != nil {
		fail(fmt.Errorf("sqlstore: begin: %w", err))
		return
	}
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			results[i] = err
			continue
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT w`); err != nil {
			tx.Rollback()
			fail(fmt.Errorf("sqlstore: savepoint: %w", err))
			return
		}
		if err := call(j.fn, tx); err != nil {
			results[i] = err
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO w`); err != nil {
				tx.Rollback()
				fail(fmt.Errorf("sqlstore: roll back a failed write: %w", err))
				return
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE w`); err != nil {
			tx.Rollback()
			fail(fmt.Errorf("sqlstore: release savepoint: %w", err))
			return
		}
	}
	if err := tx.Commit(); err != nil {
		fail(fmt.Errorf("sqlstore: commit: %w", err))
		return
	}
	for i, j := range batch {
		j.done <- results[i]
	}
}
