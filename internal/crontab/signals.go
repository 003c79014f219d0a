package crontab

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// signalHold catches SIGINT, SIGTERM and SIGHUP for the length of an edit
// so that none of them kills mkdaemon between starting `crontab -` and
// checking what it installed. The first one is remembered and cancel is
// called, which stops whatever still may stop.
type signalHold struct {
	ch   chan os.Signal
	stop chan struct{}
	done chan struct{}
	mu   sync.Mutex
	got  os.Signal
}

func holdSignals(cancel func()) *signalHold {
	h := &signalHold{
		ch:   make(chan os.Signal, 1),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	signal.Notify(h.ch, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		defer close(h.done)
		select {
		case s := <-h.ch:
			h.mu.Lock()
			h.got = s
			h.mu.Unlock()
			cancel()
		case <-h.stop:
		}
	}()
	return h
}

// caught returns the signal received so far, or nil.
func (h *signalHold) caught() os.Signal {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.got
}

// release restores the default handling and returns the signal received
// during the hold, or nil. A signal that arrives after it takes its
// default course.
func (h *signalHold) release() os.Signal {
	signal.Stop(h.ch)
	close(h.stop)
	<-h.done
	select {
	case s := <-h.ch:
		h.mu.Lock()
		if h.got == nil {
			h.got = s
		}
		h.mu.Unlock()
	default:
	}
	return h.caught()
}
