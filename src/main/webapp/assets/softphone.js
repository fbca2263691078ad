// The softphone: the browser's microphone to the agent through kurento-utils' WebRtcPeer and the
// signalling WebSocket (/softphone/signal): auth, offer, answer, trickled candidates both ways, state,
// ended. See docs/console.md for the messages.
import {explain, forget, signIn, token} from './session.js';

const $ = (id) => document.getElementById(id);
const callButton = $('call');
const hangUpButton = $('hang-up');
const message = $('call-message');

const STATES = {
  SETTING_UP: 'Setting up: wavoice is building the media',
  ANSWERED: 'Answered: connecting the audio',
  ACTIVE: 'Connected: talking to the agent',
};

let current = null; // the call in progress: {socket, peer, meterTimer}

function setState(text) {
  $('call-state').textContent = text;
}

function busy(isBusy) {
  callButton.disabled = isBusy;
  hangUpButton.disabled = !isBusy;
}

function signallingUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${location.pathname.replace(/[^/]*$/, '')}softphone/signal`;
}

function startCall() {
  message.textContent = '';
  $('call-id').textContent = '–';
  setState('Connecting to wavoice…');
  busy(true);
  const socket = new WebSocket(signallingUrl());
  const call = {socket, peer: null, meterTimer: null, ended: false};
  current = call;
  const send = (m) => socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(m));

  socket.onopen = () => send({type: 'auth', token: token()});
  socket.onmessage = (event) => {
    const m = JSON.parse(event.data);
    switch (m.type) {
      case 'ready':
        setState('Starting the microphone…');
        startPeer(call, send);
        break;
      case 'call':
        $('call-id').textContent = m.callId;
        break;
      case 'answer':
        call.peer.processAnswer(m.sdp, (error) => error && fail(call, `The browser refused wavoice's answer: ${error}`));
        break;
      case 'candidate':
        call.peer.addIceCandidate(m.candidate, (error) => error && console.warn('candidate refused', error));
        break;
      case 'state':
        setState(STATES[m.state] || m.state);
        break;
      case 'ended':
        call.ended = true;
        finish(call, m.reason === 'REMOTE_TERMINATE' && m.detail === 'the softphone hung up'
          ? 'Ended: you hung up.'
          : `Ended: ${m.reason}${m.detail ? ' (' + m.detail + ')' : ''}`);
        break;
      case 'error':
        message.textContent = `Error: ${m.message}`;
        break;
      default:
        console.warn('unknown signalling message', m);
    }
  };
  socket.onclose = (event) => {
    if (event.code === 4401 || event.code === 4403) {
      forget();
      finish(call, 'Not signed in.');
      message.textContent = `Error: ${explain(event.code === 4401 ? 401 : 403)}`;
      $('signed-in').hidden = true;
      $('signed-out').hidden = false;
      $('sign-in-message').textContent = explain(event.code === 4401 ? 401 : 403);
    } else if (!call.ended) {
      finish(call, `Ended: the connection to wavoice closed${event.reason ? ' (' + event.reason + ')' : ''}.`);
    }
  };
}

function startPeer(call, send) {
  const options = {
    mediaConstraints: {audio: true, video: false},
    remoteVideo: $('remote-audio'),
    // no STUN/TURN: kurento-utils would otherwise add public STUN servers; Kurento's candidates are enough
    configuration: {iceServers: []},
    onicecandidate: (candidate) => send({type: 'candidate', candidate: candidate.toJSON ? candidate.toJSON() : candidate}),
  };
  call.peer = new kurentoUtils.WebRtcPeer.WebRtcPeerSendrecv(options, (error) => {
    if (error) {
      fail(call, `The microphone could not be started: ${error.message || error}`);
      return;
    }
    const pc = call.peer.peerConnection;
    const showConnection = () => { $('connection-state').textContent = `${pc.connectionState} (ICE ${pc.iceConnectionState})`; };
    pc.addEventListener('connectionstatechange', showConnection);
    pc.addEventListener('iceconnectionstatechange', showConnection);
    showConnection();
    call.meterTimer = setInterval(() => meter(pc), 250);
    call.peer.generateOffer((offerError, sdp) => {
      if (offerError) {
        fail(call, `The browser could not make an offer: ${offerError.message || offerError}`);
        return;
      }
      setState('Calling: waiting for wavoice to answer');
      send({type: 'offer', sdp});
    });
  });
  window.wavoiceSoftphone = call; // for diagnostics (and the browser tests): call.peer.peerConnection
}

/** The agent's audio as the browser receives it: level (0..1) and bytes, from WebRTC's statistics. */
async function meter(pc) {
  const stats = await pc.getStats();
  for (const s of stats.values()) {
    if (s.type === 'inbound-rtp' && s.kind === 'audio') {
      const level = s.audioLevel || 0;
      $('bot-level').value = level;
      const db = level > 0 ? `${(20 * Math.log10(level)).toFixed(0)} dBFS` : 'silent';
      $('bot-level-text').textContent = `level ${level.toFixed(3)} (${db}), ${((s.bytesReceived || 0) / 1024).toFixed(1)} kB received`;
    }
  }
}

function fail(call, why) {
  message.textContent = `Error: ${why}`;
  if (call.socket.readyState === WebSocket.OPEN) {
    call.socket.send(JSON.stringify({type: 'hangup'}));
  }
  finish(call, 'Ended: the call could not go on.');
}

function finish(call, text) {
  if (call.meterTimer) {
    clearInterval(call.meterTimer);
  }
  if (call.peer) {
    call.peer.dispose();
  }
  if (call.socket.readyState === WebSocket.OPEN || call.socket.readyState === WebSocket.CONNECTING) {
    call.socket.close(1000, 'done');
  }
  $('connection-state').textContent = 'closed';
  setState(text);
  if (current === call) {
    current = null;
    busy(false);
  }
}

callButton.addEventListener('click', () => startCall());
hangUpButton.addEventListener('click', () => {
  if (current && current.socket.readyState === WebSocket.OPEN) {
    setState('Hanging up…');
    current.socket.send(JSON.stringify({type: 'hangup'}));
  } else if (current) {
    finish(current, 'Ended: you hung up.');
  }
});

signIn({
  form: $('sign-in'),
  input: $('token'),
  message: $('sign-in-message'),
  signedOut: $('signed-out'),
  signedIn: $('signed-in'),
  signOut: $('sign-out'),
  onSignedIn: () => { $('sign-out').hidden = false; },
});
