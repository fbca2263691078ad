package main

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// localDescription is what the peer says about itself, in WhatsApp's shape.
type localDescription struct {
	ufrag, pwd  string
	fingerprint string // "sha-256 AB:CD:..."
	port        int
	ipv6        bool
	ssrc        uint32
	streamID    string
	sessionID   string
	setup       string // actpass (offer) or active (answer)
	mid         string
	opusPT      int
	dtmfPT      int // 0: none
}

// remoteDescription is what the peer needs from Kurento's SDP.
type remoteDescription struct {
	ufrag, pwd  string
	fingerprint string // hex with colons, upper case
	hash        string
	setup       string
	mid         string
	opusPT      int
	dtmfPT      int
	lite        bool
}

// iceUfrag is 16 characters of the base64 alphabet and always holds a '+', as WhatsApp's may.
func iceUfrag() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	b := make([]byte, 16)
	for i := range b {
		b[i] = alphabet[randInt(len(alphabet))]
	}
	b[1+randInt(14)] = '+'
	return string(b)
}

// icePwd is 16 random bytes in base64: 24 characters ending in "==", as WhatsApp's.
func icePwd() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(b)
}

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err)
	}
	return int(v.Int64())
}

func uuid4() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func sessionID() string {
	s := "7"
	for i := 0; i < 18; i++ {
		s += strconv.Itoa(randInt(10))
	}
	return s
}

// write renders the description line by line in the order of a captured WhatsApp offer.
func (d localDescription) write() string {
	var b strings.Builder
	line := func(format string, args ...interface{}) {
		fmt.Fprintf(&b, format, args...)
		b.WriteString("\r\n")
	}
	line("v=0")
	line("o=- %s 2 IN IP4 127.0.0.1", d.sessionID)
	line("s=-")
	line("t=0 0")
	line("a=group:BUNDLE %s", d.mid)
	line("a=msid-semantic: WMS %s", d.streamID)
	line("a=ice-lite")
	if d.dtmfPT != 0 {
		line("m=audio %d UDP/TLS/RTP/SAVPF %d %d", d.port, d.opusPT, d.dtmfPT)
	} else {
		line("m=audio %d UDP/TLS/RTP/SAVPF %d", d.port, d.opusPT)
	}
	line("c=IN IP4 127.0.0.1")
	line("a=rtcp:9 IN IP4 0.0.0.0")
	line("a=candidate:%d 1 udp 2113937151 127.0.0.1 %d typ host generation 0 network-cost 50", 1000000000+randInt(999999999), d.port)
	if d.ipv6 {
		line("a=candidate:%d 1 udp 2113939711 ::1 %d typ host generation 0 network-cost 50", 1000000000+randInt(999999999), d.port)
	}
	line("a=ice-ufrag:%s", d.ufrag)
	line("a=ice-pwd:%s", d.pwd)
	line("a=fingerprint:%s", d.fingerprint)
	line("a=setup:%s", d.setup)
	line("a=mid:%s", d.mid)
	line("a=sendrecv")
	line("a=msid:%s WhatsAppTrack1", d.streamID)
	line("a=rtcp-mux")
	line("a=rtpmap:%d opus/48000/2", d.opusPT)
	line("a=rtcp-fb:%d transport-cc", d.opusPT)
	line("a=fmtp:%d maxaveragebitrate=20000;maxplaybackrate=16000;minptime=20;sprop-maxcapturerate=16000;useinbandfec=1", d.opusPT)
	if d.dtmfPT != 0 {
		line("a=rtpmap:%d telephone-event/8000", d.dtmfPT)
	}
	line("a=maxptime:20")
	line("a=ptime:20")
	line("a=ssrc:%d cname:WhatsAppAudioStream1", d.ssrc)
	return b.String()
}

// parseRemote reads the one audio section of Kurento's SDP (session-level values are defaults).
func parseRemote(sdp string) (remoteDescription, error) {
	r := remoteDescription{}
	audio := 0
	for _, raw := range strings.Split(sdp, "\n") {
		l := strings.TrimRight(raw, "\r")
		switch {
		case strings.HasPrefix(l, "m="):
			if strings.HasPrefix(l, "m=audio ") {
				audio++
			}
		case l == "a=ice-lite":
			r.lite = true
		case strings.HasPrefix(l, "a=ice-ufrag:"):
			r.ufrag = strings.TrimPrefix(l, "a=ice-ufrag:")
		case strings.HasPrefix(l, "a=ice-pwd:"):
			r.pwd = strings.TrimPrefix(l, "a=ice-pwd:")
		case strings.HasPrefix(l, "a=fingerprint:"):
			parts := strings.Fields(strings.TrimPrefix(l, "a=fingerprint:"))
			if len(parts) == 2 && strings.EqualFold(parts[0], "sha-256") {
				r.hash, r.fingerprint = "sha-256", strings.ToUpper(parts[1])
			}
		case strings.HasPrefix(l, "a=setup:"):
			r.setup = strings.TrimPrefix(l, "a=setup:")
		case strings.HasPrefix(l, "a=mid:"):
			r.mid = strings.TrimPrefix(l, "a=mid:")
		case strings.HasPrefix(l, "a=rtpmap:"):
			fields := strings.Fields(strings.TrimPrefix(l, "a=rtpmap:"))
			if len(fields) == 2 {
				pt, err := strconv.Atoi(fields[0])
				if err == nil {
					codec := strings.ToLower(fields[1])
					if codec == "opus/48000/2" && r.opusPT == 0 {
						r.opusPT = pt
					} else if codec == "telephone-event/8000" && r.dtmfPT == 0 {
						r.dtmfPT = pt
					}
				}
			}
		}
	}
	switch {
	case audio != 1:
		return r, fmt.Errorf("expected one m=audio section, found %d", audio)
	case r.ufrag == "" || r.pwd == "":
		return r, fmt.Errorf("no a=ice-ufrag/a=ice-pwd")
	case r.fingerprint == "":
		return r, fmt.Errorf("no a=fingerprint:sha-256")
	case r.opusPT == 0:
		return r, fmt.Errorf("no opus/48000/2")
	}
	return r, nil
}
