package main

import (
	"fmt"
	"net"
	"strings"
	"sync"

	"github.com/pion/stun"
)

// transport is the peer's UDP side: one socket per address family on the same port, an ICE-lite
// responder (RFC 8445 §2.5: it answers binding requests, never sends one, never nominates), and the
// pair Kurento nominated, which carries DTLS and SRTP.
type transport struct {
	sockets []*net.UDPConn
	ufrag   string
	pwd     string
	// answerControlled answers a check that carries ICE-CONTROLLED with success instead of 487
	answerControlled bool

	mu        sync.Mutex
	stats     iceStats
	selected  *pair
	nominated chan struct{}

	dtls  chan []byte
	media func(b []byte)
}

type pair struct {
	socket *net.UDPConn
	remote *net.UDPAddr
}

type iceStats struct {
	BindingRequests     int    `json:"binding_requests"`
	ControllingRequests int    `json:"controlling_requests"`
	ControlledRequests  int    `json:"controlled_requests"`
	UseCandidate        int    `json:"use_candidate_requests"`
	RoleConflicts       int    `json:"role_conflict_responses"`
	BadRequests         int    `json:"rejected_requests"`
	RequestsSent        int    `json:"binding_requests_sent"`
	Selected            string `json:"selected_remote,omitempty"`
}

// listen binds 127.0.0.1 and, unless disabled, ::1 on one port (retrying until a port is free on both).
func listen(ipv6 bool) ([]*net.UDPConn, int, error) {
	var lastErr error
	for attempt := 0; attempt < 50; attempt++ {
		v4, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
		if err != nil {
			return nil, 0, err
		}
		port := v4.LocalAddr().(*net.UDPAddr).Port
		if !ipv6 {
			return []*net.UDPConn{v4}, port, nil
		}
		v6, err := net.ListenUDP("udp6", &net.UDPAddr{IP: net.IPv6loopback, Port: port})
		if err == nil {
			return []*net.UDPConn{v4, v6}, port, nil
		}
		lastErr = err
		v4.Close()
	}
	return nil, 0, fmt.Errorf("no port free on 127.0.0.1 and ::1: %v", lastErr)
}

func (t *transport) serve() {
	for _, s := range t.sockets {
		go t.read(s)
	}
}

func (t *transport) read(s *net.UDPConn) {
	buf := make([]byte, 1500)
	for {
		n, from, err := s.ReadFromUDP(buf)
		if err != nil {
			return
		}
		b := append([]byte(nil), buf[:n]...)
		switch {
		case n == 0:
		case b[0] < 4:
			t.stun(s, from, b)
		case b[0] >= 20 && b[0] <= 63:
			select {
			case t.dtls <- b:
			default:
				logf("DTLS packet dropped: reader busy")
			}
		case b[0] >= 128 && b[0] <= 191:
			t.media(b)
		}
	}
}

func (t *transport) stun(s *net.UDPConn, from *net.UDPAddr, b []byte) {
	m := &stun.Message{Raw: b}
	if err := m.Decode(); err != nil {
		return
	}
	if m.Type.Method != stun.MethodBinding || m.Type.Class != stun.ClassRequest {
		return // indications (keepalives) need no answer; a lite agent sends no requests, so gets no responses
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.stats.BindingRequests++
	var username stun.Username
	if err := username.GetFrom(m); err != nil || !strings.HasPrefix(username.String(), t.ufrag+":") {
		t.stats.BadRequests++
		t.reply(s, from, m, stun.CodeUnauthorized)
		return
	}
	if err := stun.NewShortTermIntegrity(t.pwd).Check(m); err != nil {
		t.stats.BadRequests++
		t.reply(s, from, m, stun.CodeUnauthorized)
		return
	}
	if err := stun.Fingerprint.Check(m); err != nil {
		t.stats.BadRequests++
		t.reply(s, from, m, stun.CodeBadRequest)
		return
	}
	controlling := m.Contains(stun.AttrICEControlling)
	if controlling {
		t.stats.ControllingRequests++
	}
	if m.Contains(stun.AttrICEControlled) {
		t.stats.ControlledRequests++
		if !t.answerControlled {
			// A lite agent is always controlled (RFC 8445 §6.1.1): a controlled check is a role conflict,
			// which WhatsApp answers with 487 (RFC 8445 §7.3.1.1), so the other side may switch roles.
			t.stats.RoleConflicts++
			logf("ICE: ICE-CONTROLLED request from %s: 487 Role Conflict", from)
			t.reply(s, from, m, stun.CodeRoleConflict)
			return
		}
		logf("ICE: ICE-CONTROLLED request from %s answered (--on-controlled-check success)", from)
	}
	t.reply(s, from, m, 0)
	if m.Contains(stun.AttrUseCandidate) && controlling {
		t.stats.UseCandidate++
		if t.selected == nil {
			t.selected = &pair{socket: s, remote: from}
			t.stats.Selected = from.String()
			logf("ICE: %s nominated %s", from, s.LocalAddr())
			close(t.nominated)
		}
	}
}

func (t *transport) reply(s *net.UDPConn, to *net.UDPAddr, req *stun.Message, code stun.ErrorCode) {
	setters := []stun.Setter{stun.NewTransactionIDSetter(req.TransactionID)}
	if code == 0 {
		setters = append(setters, stun.BindingSuccess, &stun.XORMappedAddress{IP: to.IP, Port: to.Port})
	} else {
		setters = append(setters, stun.NewType(stun.MethodBinding, stun.ClassErrorResponse), code)
	}
	if code != stun.CodeUnauthorized && code != stun.CodeBadRequest {
		setters = append(setters, stun.NewShortTermIntegrity(t.pwd))
	}
	setters = append(setters, stun.Fingerprint)
	resp, err := stun.Build(setters...)
	if err != nil {
		logf("STUN response: %v", err)
		return
	}
	if _, err := s.WriteToUDP(resp.Raw, to); err != nil {
		logf("STUN response to %s: %v", to, err)
	}
}

// send writes to the nominated pair; nothing is sent before Kurento nominated one.
func (t *transport) send(b []byte) error {
	t.mu.Lock()
	p := t.selected
	t.mu.Unlock()
	if p == nil {
		return fmt.Errorf("no nominated pair")
	}
	_, err := p.socket.WriteToUDP(b, p.remote)
	return err
}

func (t *transport) snapshot() iceStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.stats
}

func (t *transport) close() {
	for _, s := range t.sockets {
		s.Close()
	}
}
