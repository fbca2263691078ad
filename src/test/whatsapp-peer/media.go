package main

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/pion/rtcp"
	"github.com/pion/rtp"
)

// media sends pre-encoded Opus at a 20 ms pace with one SSRC and records every RTP packet it gets.
// With talk and pause set it speaks in turns: talk ms of frames, then pause ms of silence frames.
type media struct {
	start    time.Time
	frames   [][]byte
	silence  [][]byte
	talk     int // frames of talk per turn; 0: talk all the time
	pause    int // frames of silence after each talk
	ssrc     uint32
	opusPT   uint8
	recordTo *bufio.Writer

	mu              sync.Mutex
	keys            *srtpContexts
	sent            int
	sentOctets      int
	received        int
	receivedOpusMs  float64
	receivedRTCP    int
	unprotectErrors int
	lastRTPTime     uint32
	talkOnsets      []int64 // wall clock (Unix ns) of each talk turn's first packet, just before it was sent
}

// readFrames reads the tone to send: Opus packets of 20 ms, each a big-endian 16-bit length and the bytes.
func readFrames(path string) ([][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bufio.NewReader(f)
	var frames [][]byte
	for {
		var n uint16
		if err := binary.Read(r, binary.BigEndian, &n); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, err
		}
		frame := make([]byte, n)
		if _, err := io.ReadFull(r, frame); err != nil {
			return nil, fmt.Errorf("truncated frame in %s: %w", path, err)
		}
		frames = append(frames, frame)
	}
	if len(frames) == 0 {
		return nil, fmt.Errorf("no Opus frames in %s", path)
	}
	return frames, nil
}

func (m *media) connected(keys srtpContexts) {
	m.mu.Lock()
	m.keys = &keys
	m.mu.Unlock()
}

// receive unprotects one SRTP or SRTCP packet (RFC 5761 §4: RTCP payload types 192-223).
func (m *media) receive(b []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys == nil {
		return
	}
	if len(b) > 1 && b[1] >= 192 && b[1] <= 223 {
		if _, err := m.keys.remote.DecryptRTCP(nil, b, nil); err != nil {
			m.unprotectErrors++
			return
		}
		m.receivedRTCP++
		return
	}
	plain, err := m.keys.remote.DecryptRTP(nil, b, nil)
	if err != nil {
		m.unprotectErrors++
		return
	}
	p := &rtp.Packet{}
	if err := p.Unmarshal(plain); err != nil {
		m.unprotectErrors++
		return
	}
	m.received++
	if p.PayloadType == m.opusPT {
		m.receivedOpusMs += opusDurationMs(p.Payload)
	}
	if m.recordTo != nil {
		// arrival on the wall clock, which every process of the machine shares: latency runs pair it
		// with the times other processes took
		var head [17]byte
		binary.BigEndian.PutUint64(head[0:], uint64(time.Now().UnixNano()))
		binary.BigEndian.PutUint16(head[8:], p.SequenceNumber)
		binary.BigEndian.PutUint32(head[10:], p.Timestamp)
		head[14] = p.PayloadType
		binary.BigEndian.PutUint16(head[15:], uint16(len(p.Payload)))
		m.recordTo.Write(head[:])
		m.recordTo.Write(p.Payload)
	}
}

// send paces the frames at 20 ms (looping them) until done, with an RTCP sender report each second.
func (m *media) send(t *transport, done <-chan struct{}) {
	seq := uint16(randInt(1 << 16))
	ts := uint32(randInt(1 << 30))
	ticker := time.NewTicker(20 * time.Millisecond)
	defer ticker.Stop()
	for i := 0; ; i++ {
		select {
		case <-done:
			return
		case <-ticker.C:
		}
		frame := m.frame(i)
		p := rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: m.opusPT, SequenceNumber: seq, Timestamp: ts,
			SSRC: m.ssrc, Marker: i == 0}, Payload: frame}
		raw, err := p.Marshal()
		if err != nil {
			logf("RTP: %v", err)
			return
		}
		m.mu.Lock()
		protected, err := m.keys.local.EncryptRTP(nil, raw, nil)
		m.mu.Unlock()
		onset := m.talkOnset(i)
		sentAt := time.Now().UnixNano()
		if err == nil && t.send(protected) == nil {
			m.mu.Lock()
			if onset {
				m.talkOnsets = append(m.talkOnsets, sentAt)
			}
			m.sent++
			m.sentOctets += len(frame)
			m.lastRTPTime = ts
			m.mu.Unlock()
		}
		seq++
		ts += 960
		if i%50 == 49 {
			m.senderReport(t)
		}
	}
}

// frame is what the i-th tick sends: the tone looped, or in turns of talk and silence.
func (m *media) frame(i int) []byte {
	if m.talk == 0 || m.pause == 0 {
		return m.frames[i%len(m.frames)]
	}
	turn, at := i/(m.talk+m.pause), i%(m.talk+m.pause)
	if at < m.talk {
		return m.frames[(turn*m.talk+at)%len(m.frames)]
	}
	return m.silence[(at-m.talk)%len(m.silence)]
}

// talkOnset tells whether the i-th tick begins a talk turn that follows a pause (the first turn has none).
func (m *media) talkOnset(i int) bool {
	if m.talk == 0 || m.pause == 0 {
		return false
	}
	return i > 0 && i%(m.talk+m.pause) == 0
}

func (m *media) senderReport(t *transport) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	secs := uint64(now.Unix()) + 2208988800
	frac := uint64(now.Nanosecond()) * (1 << 32) / 1e9
	sr := rtcp.SenderReport{SSRC: m.ssrc, NTPTime: secs<<32 | frac, RTPTime: m.lastRTPTime,
		PacketCount: uint32(m.sent), OctetCount: uint32(m.sentOctets)}
	raw, err := sr.Marshal()
	if err != nil {
		return
	}
	if protected, err := m.keys.local.EncryptRTCP(nil, raw, nil); err == nil {
		_ = t.send(protected)
	}
}

// opusDurationMs reads an Opus packet's duration from its TOC byte (RFC 6716 §3.1).
func opusDurationMs(payload []byte) float64 {
	if len(payload) == 0 {
		return 0
	}
	config := payload[0] >> 3
	var frame float64
	switch {
	case config < 12:
		frame = []float64{10, 20, 40, 60}[config%4]
	case config < 16:
		frame = []float64{10, 20}[config%2]
	default:
		frame = []float64{2.5, 5, 10, 20}[config%4]
	}
	switch payload[0] & 3 {
	case 0:
		return frame
	case 1, 2:
		return 2 * frame
	default:
		if len(payload) < 2 {
			return 0
		}
		return float64(payload[1]&0x3f) * frame
	}
}
