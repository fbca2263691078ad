package main

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/pion/dtls/v2"
	"github.com/pion/dtls/v2/pkg/crypto/selfsign"
	"github.com/pion/srtp/v2"
)

// dtlsConn is the DTLS packets of the nominated pair as a net.Conn for pion/dtls, with the deadlines it
// uses to end a handshake that cannot complete.
type dtlsConn struct {
	t      *transport
	closed chan struct{}
	read   deadline
	write  deadline
}

// deadline is a settable point in time; setting it wakes whoever waits on the old one.
type deadline struct {
	mu   sync.Mutex
	at   time.Time
	wake chan struct{}
}

func (d *deadline) set(at time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.at = at
	if d.wake != nil {
		close(d.wake)
	}
	d.wake = make(chan struct{})
}

// wait returns a channel closed when the deadline passes (nil: none), and one closed when it is changed.
func (d *deadline) wait() (<-chan time.Time, <-chan struct{}, func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.wake == nil {
		d.wake = make(chan struct{})
	}
	if d.at.IsZero() {
		return nil, d.wake, func() {}
	}
	timer := time.NewTimer(time.Until(d.at))
	return timer.C, d.wake, func() { timer.Stop() }
}

func (c *dtlsConn) Read(p []byte) (int, error) {
	for {
		expired, changed, stop := c.read.wait()
		select {
		case b := <-c.t.dtls:
			stop()
			return copy(p, b), nil
		case <-c.closed:
			stop()
			return 0, net.ErrClosed
		case <-expired:
			return 0, os.ErrDeadlineExceeded
		case <-changed:
			stop()
		}
	}
}

func (c *dtlsConn) Write(p []byte) (int, error) {
	for waiting := true; waiting; {
		expired, changed, stop := c.write.wait()
		select {
		case <-c.t.nominated:
			waiting = false
		case <-c.closed:
			stop()
			return 0, net.ErrClosed
		case <-expired:
			return 0, os.ErrDeadlineExceeded
		case <-changed:
		}
		stop()
	}
	if err := c.t.send(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (c *dtlsConn) Close() error {
	select {
	case <-c.closed:
	default:
		close(c.closed)
	}
	return nil
}

func (c *dtlsConn) LocalAddr() net.Addr  { return c.t.sockets[0].LocalAddr() }
func (c *dtlsConn) RemoteAddr() net.Addr { return &net.UDPAddr{} }
func (c *dtlsConn) SetDeadline(t time.Time) error {
	c.read.set(t)
	c.write.set(t)
	return nil
}
func (c *dtlsConn) SetReadDeadline(t time.Time) error  { c.read.set(t); return nil }
func (c *dtlsConn) SetWriteDeadline(t time.Time) error { c.write.set(t); return nil }

type certificate struct {
	tls         tls.Certificate
	fingerprint string
}

// newCertificate makes the self-signed ECDSA P-256 certificate of a WebRTC endpoint.
func newCertificate() (certificate, error) {
	cert, err := selfsign.GenerateSelfSigned()
	if err != nil {
		return certificate{}, err
	}
	return certificate{tls: cert, fingerprint: "sha-256 " + hexFingerprint(cert.Certificate[0])}, nil
}

func hexFingerprint(der []byte) string {
	sum := sha256.Sum256(der)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02X", b)
	}
	return strings.Join(parts, ":")
}

// srtpContexts are the keys DTLS agreed on (RFC 5764 §4.2): one context to protect, one to unprotect.
type srtpContexts struct {
	local, remote *srtp.Context
	profile       string
}

// handshake runs DTLS on the nominated pair as client or server and checks the peer's certificate
// against the fingerprint of its SDP (which may arrive after the handshake started).
func handshake(ctx context.Context, t *transport, cert certificate, client bool, remoteFingerprint <-chan string) (*dtls.Conn, srtpContexts, error) {
	conn := &dtlsConn{t: t, closed: make(chan struct{})}
	config := &dtls.Config{
		Certificates:           []tls.Certificate{cert.tls},
		SRTPProtectionProfiles: []dtls.SRTPProtectionProfile{dtls.SRTP_AEAD_AES_128_GCM, dtls.SRTP_AES128_CM_HMAC_SHA1_80},
		ExtendedMasterSecret:   dtls.RequireExtendedMasterSecret,
		ClientAuth:             dtls.RequireAnyClientCert,
		InsecureSkipVerify:     true,
		VerifyPeerCertificate: func(raw [][]byte, _ [][]*x509.Certificate) error {
			if len(raw) == 0 {
				return errors.New("no certificate from the peer")
			}
			select {
			case want := <-remoteFingerprint:
				if got := hexFingerprint(raw[0]); got != want {
					return fmt.Errorf("certificate fingerprint %s does not match the SDP's %s", got, want)
				}
				return nil
			case <-ctx.Done():
				return errors.New("no SDP from the peer to check its certificate")
			}
		},
	}
	var d *dtls.Conn
	var err error
	if client {
		d, err = dtls.ClientWithContext(ctx, conn, config)
	} else {
		d, err = dtls.ServerWithContext(ctx, conn, config)
	}
	if err != nil {
		conn.Close()
		return nil, srtpContexts{}, err
	}
	chosen, ok := d.SelectedSRTPProtectionProfile()
	if !ok {
		return d, srtpContexts{}, errors.New("DTLS agreed on no SRTP profile")
	}
	keys := srtp.Config{}
	name := ""
	switch chosen {
	case dtls.SRTP_AEAD_AES_128_GCM:
		keys.Profile, name = srtp.ProtectionProfileAeadAes128Gcm, "SRTP_AEAD_AES_128_GCM"
	case dtls.SRTP_AES128_CM_HMAC_SHA1_80:
		keys.Profile, name = srtp.ProtectionProfileAes128CmHmacSha1_80, "SRTP_AES128_CM_HMAC_SHA1_80"
	default:
		return d, srtpContexts{}, fmt.Errorf("unexpected SRTP profile %v", chosen)
	}
	state := d.ConnectionState()
	if err := keys.ExtractSessionKeysFromDTLS(&state, client); err != nil {
		return d, srtpContexts{}, err
	}
	local, err := srtp.CreateContext(keys.Keys.LocalMasterKey, keys.Keys.LocalMasterSalt, keys.Profile)
	if err != nil {
		return d, srtpContexts{}, err
	}
	remote, err := srtp.CreateContext(keys.Keys.RemoteMasterKey, keys.Keys.RemoteMasterSalt, keys.Profile)
	if err != nil {
		return d, srtpContexts{}, err
	}
	return d, srtpContexts{local: local, remote: remote, profile: name}, nil
}
