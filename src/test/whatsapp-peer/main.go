// Command whatsapp-peer plays the WhatsApp side of a call for wavoice's tests: an ICE-lite WebRTC
// endpoint that offers (or answers) in the shape of a real WhatsApp SDP, answers connectivity checks
// without ever sending one, runs DTLS-SRTP on the pair the other side nominated, sends pre-encoded
// Opus and records what it receives. See README.md.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func logf(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, time.Now().UTC().Format("15:04:05.000")+" "+format+"\n", args...)
}

type report struct {
	Peer              *int   `json:"peer,omitempty"` // multi mode: which peer
	Mode              string `json:"mode"`
	IceState          string `json:"ice_state"`
	IceConnected      bool   `json:"ice_connected"`
	RemoteNominated   bool   `json:"remote_nominated"`
	RemoteControlling bool   `json:"remote_controlling"`
	DtlsConnected     bool   `json:"dtls_connected"`
	DtlsRole          string `json:"dtls_role,omitempty"`
	SrtpProfile       string `json:"srtp_profile,omitempty"`
	OpusPayloadType   int    `json:"opus_payload_type"`
	SentPackets       int    `json:"sent_packets"`
	ReceivedPackets   int    `json:"received_packets"`
	ReceivedAudioMs   int64  `json:"received_audio_ms"`
	ReceivedRTCP      int    `json:"received_rtcp_packets"`
	UnprotectErrors   int    `json:"unprotect_errors"`
	// wall clock (Unix ns) just before each talk turn's first packet went out, turns after a pause only
	TalkOnsets []int64 `json:"talk_onsets_unix_ns"`
	Error      string  `json:"error,omitempty"`
	iceStats
}

// options is one peer's run.
type options struct {
	mode, out, answerFile, offerFile, send, silence, record string
	seconds, wait, talkMs, pauseMs                          int
	ipv6, answerControlled                                  bool
}

func main() {
	if len(os.Args) < 2 || (os.Args[1] != "offer" && os.Args[1] != "answer" && os.Args[1] != "multi") {
		fmt.Fprintln(os.Stderr, "usage: whatsapp-peer offer|answer --out FILE [--answer-file F | --offer-file F] --send FRAMES [--record FILE] [--seconds N] [--wait N] [--no-ipv6] [--on-controlled-check 487|success] [--talk-ms N --pause-ms N --silence FRAMES]")
		fmt.Fprintln(os.Stderr, "       whatsapp-peer multi --peers N --dir DIR --send FRAMES [...]: N offering peers in one process, peer i in DIR/i (offer.sdp, answer.sdp, heard.rtp)")
		os.Exit(64)
	}
	mode := os.Args[1]
	flags := flag.NewFlagSet(mode, flag.ExitOnError)
	out := flags.String("out", "", "where to write our SDP (atomically)")
	answerFile := flags.String("answer-file", "", "offer mode: the file the answer appears in")
	offerFile := flags.String("offer-file", "", "answer mode: the file holding the offer")
	send := flags.String("send", "", "Opus packets to send (16-bit big-endian length + bytes, 20 ms each, looped); multi mode: {peer} is the peer's number")
	silence := flags.String("silence", "", "Opus packets to send while pausing (same format)")
	talkMs := flags.Int("talk-ms", 0, "speak in turns: this long from --send ...")
	pauseMs := flags.Int("pause-ms", 0, "... then this long from --silence; 0: no pauses")
	record := flags.String("record", "", "where to write received RTP (see README.md)")
	seconds := flags.Int("seconds", 10, "media duration, counted from the moment the peer has both SDPs")
	wait := flags.Int("wait", 60, "max seconds to wait for the other side's SDP")
	noIPv6 := flags.Bool("no-ipv6", false, "offer only the IPv4 candidate")
	onControlled := flags.String("on-controlled-check", "487", "answer to a check carrying ICE-CONTROLLED: 487 (role conflict, as WhatsApp) or success")
	peers := flags.Int("peers", 1, "multi mode: how many peers")
	dir := flags.String("dir", "", "multi mode: the folder of the peers' folders")
	flags.Parse(os.Args[2:])
	if *onControlled != "487" && *onControlled != "success" {
		flags.Usage()
		os.Exit(64)
	}
	if *send == "" || (*talkMs > 0 && *pauseMs > 0 && *silence == "") || (mode == "multi" && (*dir == "" || *peers < 1)) ||
		(mode != "multi" && *out == "") || (mode == "offer" && *answerFile == "") || (mode == "answer" && *offerFile == "") {
		flags.Usage()
		os.Exit(64)
	}
	o := options{mode: mode, out: *out, answerFile: *answerFile, offerFile: *offerFile, send: *send, silence: *silence,
		record: *record, seconds: *seconds, wait: *wait, talkMs: *talkMs, pauseMs: *pauseMs, ipv6: !*noIPv6,
		answerControlled: *onControlled == "success"}

	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		<-signals
		cancel()
	}()
	if mode != "multi" {
		r := run(ctx, o)
		line, _ := json.Marshal(r)
		fmt.Println(string(line))
		if !r.ok() {
			os.Exit(2)
		}
		return
	}
	if !runMany(ctx, o, *peers, *dir) {
		os.Exit(2)
	}
}

func (r report) ok() bool {
	return r.IceConnected && r.DtlsConnected && r.ReceivedPackets > 0 && r.ReceivedAudioMs > 0
}

// runMany runs n offering peers at once, each a whole call of its own in dir/<i>, and prints each one's
// report line (with its number) as it ends. True when every peer's call worked.
func runMany(ctx context.Context, o options, n int, dir string) bool {
	var mu sync.Mutex
	all := true
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		peerDir := filepath.Join(dir, strconv.Itoa(i))
		if err := os.MkdirAll(peerDir, 0o755); err != nil {
			logf("peer %d: %v", i, err)
			return false
		}
		p := o
		p.mode = "offer"
		p.send = strings.ReplaceAll(o.send, "{peer}", strconv.Itoa(i))
		p.out, p.answerFile, p.record = filepath.Join(peerDir, "offer.sdp"), filepath.Join(peerDir, "answer.sdp"), filepath.Join(peerDir, "heard.rtp")
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := run(ctx, p)
			r.Peer = &i
			line, _ := json.Marshal(r)
			mu.Lock()
			defer mu.Unlock()
			fmt.Println(string(line))
			all = all && r.ok()
		}(i)
	}
	wg.Wait()
	return all
}

func run(ctx context.Context, o options) (r report) {
	mode, out, answerFile, offerFile, record, seconds, wait, ipv6 := o.mode, o.out, o.answerFile, o.offerFile, o.record, o.seconds, o.wait, o.ipv6
	r.Mode = mode
	start := time.Now()
	frames, err := readFrames(o.send)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	var silence [][]byte
	if o.talkMs > 0 && o.pauseMs > 0 {
		if silence, err = readFrames(o.silence); err != nil {
			r.Error = err.Error()
			return r
		}
	}
	cert, err := newCertificate()
	if err != nil {
		r.Error = err.Error()
		return r
	}
	sockets, port, err := listen(ipv6)
	if err != nil {
		r.Error = err.Error()
		return r
	}
	t := &transport{sockets: sockets, ufrag: iceUfrag(), pwd: icePwd(), answerControlled: o.answerControlled, nominated: make(chan struct{}),
		dtls: make(chan []byte, 256)}
	defer t.close()
	m := &media{start: start, frames: frames, silence: silence, talk: o.talkMs / 20, pause: o.pauseMs / 20,
		ssrc: uint32(1 + randInt(1<<31)), opusPT: 111}
	if record != "" {
		f, err := os.Create(record)
		if err != nil {
			r.Error = err.Error()
			return r
		}
		m.recordTo = bufio.NewWriter(f)
		defer func() {
			// the sockets still deliver packets: stop recording under the lock before flushing
			m.mu.Lock()
			w := m.recordTo
			m.recordTo = nil
			m.mu.Unlock()
			w.Flush()
			f.Close()
		}()
	}
	t.media = m.receive
	defer func() {
		s := t.snapshot()
		r.iceStats = s
		r.RemoteNominated = s.Selected != ""
		r.IceConnected = r.RemoteNominated
		r.RemoteControlling = s.ControllingRequests > 0 && s.ControlledRequests == 0
		switch {
		case r.IceConnected:
			r.IceState = "connected"
		case s.BindingRequests > 0:
			r.IceState = "checking"
		default:
			r.IceState = "new"
		}
		m.mu.Lock()
		r.SentPackets, r.ReceivedPackets, r.ReceivedRTCP, r.UnprotectErrors = m.sent, m.received, m.receivedRTCP, m.unprotectErrors
		r.ReceivedAudioMs = int64(m.receivedOpusMs)
		r.TalkOnsets = append([]int64{}, m.talkOnsets...)
		m.mu.Unlock()
	}()
	t.serve()

	defer func() {
		if ctx.Err() != nil {
			r.Error = "signal"
		}
	}()

	local := localDescription{ufrag: t.ufrag, pwd: t.pwd, fingerprint: cert.fingerprint, port: port, ipv6: ipv6,
		ssrc: m.ssrc, streamID: uuid4(), sessionID: sessionID(), mid: "audio", opusPT: 111, dtmfPT: 126}
	var remote remoteDescription
	if mode == "offer" {
		local.setup = "actpass"
		if err := writeAtomically(out, local.write()); err != nil {
			r.Error = err.Error()
			return r
		}
		logf("offer written to %s (port %d)", out, port)
		text, err := awaitFile(ctx, answerFile, time.Duration(wait)*time.Second, time.Now())
		if err != nil {
			r.Error = err.Error()
			return r
		}
		if remote, err = parseRemote(text); err != nil {
			r.Error = "bad answer: " + err.Error()
			return r
		}
		if remote.opusPT != 111 {
			r.Error = fmt.Sprintf("the answer moved opus to payload type %d", remote.opusPT)
			return r
		}
	} else {
		text, err := awaitFile(ctx, offerFile, time.Duration(wait)*time.Second, time.Time{})
		if err != nil {
			r.Error = err.Error()
			return r
		}
		if remote, err = parseRemote(text); err != nil {
			r.Error = "bad offer: " + err.Error()
			return r
		}
		// As WhatsApp answers a business's actpass offer: active, so it is the DTLS client.
		local.setup = "active"
		if remote.setup == "active" {
			local.setup = "passive"
		}
		local.mid, local.opusPT, local.dtmfPT = remote.mid, remote.opusPT, remote.dtmfPT
		m.opusPT = uint8(remote.opusPT)
		if err := writeAtomically(out, local.write()); err != nil {
			r.Error = err.Error()
			return r
		}
		logf("answer written to %s (port %d)", out, port)
	}
	r.OpusPayloadType = local.opusPT
	client := local.setup == "active" || (local.setup == "actpass" && remote.setup == "passive")
	if client {
		r.DtlsRole = "client"
	} else {
		r.DtlsRole = "server"
	}
	fingerprint := make(chan string, 1)
	fingerprint <- remote.fingerprint

	deadline, stop := context.WithTimeout(ctx, time.Duration(seconds)*time.Second)
	defer stop()
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		d, keys, err := handshake(deadline, t, cert, client, fingerprint)
		if err != nil {
			if deadline.Err() == nil {
				r.Error = "DTLS: " + err.Error()
			}
			logf("DTLS failed: %v", err)
			return
		}
		defer d.Close()
		r.DtlsConnected = true
		r.SrtpProfile = keys.profile
		logf("DTLS connected as %s, %s", r.DtlsRole, keys.profile)
		m.connected(keys)
		m.send(t, done)
	}()
	<-deadline.Done()
	close(done)
	<-finished
	logf("media time over")
	return r
}

// awaitFile returns the file's text once it has an m= line and stayed the same between two polls;
// in offer mode a file older than our offer is a leftover and ignored.
func awaitFile(ctx context.Context, path string, wait time.Duration, notBefore time.Time) (string, error) {
	deadline := time.Now().Add(wait)
	previous := ""
	for time.Now().Before(deadline) {
		if info, err := os.Stat(path); err == nil && (notBefore.IsZero() || info.ModTime().After(notBefore.Add(-time.Second))) {
			if b, err := os.ReadFile(path); err == nil {
				text := string(b)
				if strings.Contains(text, "m=") && text == previous {
					return text, nil
				}
				previous = text
			}
		}
		select {
		case <-ctx.Done():
			return "", errors.New("signal")
		case <-time.After(200 * time.Millisecond):
		}
	}
	return "", fmt.Errorf("no peer SDP within %s", wait)
}

func writeAtomically(path, text string) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
