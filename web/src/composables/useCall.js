// The call: one openvidu-browser Session for the camera, microphone and chat, and a second Session (a second
// connection, as OpenVidu 2.x allows one stream per connection) while the screen is shared. Everything the screens
// show is in `state`; openvidu-browser's own objects are kept out of Vue's reactivity (markRaw).
import { markRaw, reactive } from 'vue';
import { OpenVidu } from 'openvidu-browser';
import { createSession, createToken } from '../services/api.js';
import { describeConnection } from '../services/people.js';
import { useChat } from './useChat.js';

const endReasons = {
  networkDisconnect: 'The connection to the server was lost.',
  forceDisconnectByUser: 'A moderator removed you from the call.',
  forceDisconnectByServer: 'The server removed you from the call.',
  sessionClosedByServer: 'The call was ended by the server.',
};

function newOpenVidu() {
  const ov = new OpenVidu();
  ov.enableProdMode();
  return ov;
}

function stopTracks(streamManager) {
  streamManager?.stream?.getMediaStream?.()?.getTracks().forEach(track => track.stop());
}

function newTile(id, values) {
  return { id, name: '', local: false, screen: false, streamManager: null, audioActive: false, videoActive: false, speaking: false, ...values };
}

export function useCall() {
  const state = reactive({
    status: 'idle', // idle → joining → joined → idle
    error: '',
    sessionName: '',
    userName: '',
    tiles: [],
    notice: null, // { kind: 'reconnecting' | 'reconnected' | 'warning', text }
    hasCamera: false,
    hasMicrophone: false,
    cameraOn: false,
    micOn: false,
    sharing: false,
    shareBusy: false,
  });
  const { chat, receive, reset: resetChat } = useChat();
  let ov = null;
  let session = null;
  let sessionId = '';
  let publisher = null;
  let screen = null;
  let noticeTimer;

  const myId = () => session?.connection?.connectionId;
  const findTile = id => state.tiles.find(tile => tile.id === id);

  function upsertTile(id, values) {
    const tile = findTile(id);
    if (tile) Object.assign(tile, values);
    else state.tiles.push(newTile(id, values));
  }

  function removeTile(id) {
    const index = state.tiles.findIndex(tile => tile.id === id);
    if (index >= 0) state.tiles.splice(index, 1);
  }

  function notify(kind, text, duration = 0) {
    clearTimeout(noticeTimer);
    state.notice = { kind, text };
    if (duration) noticeTimer = setTimeout(() => { state.notice = null; }, duration);
  }

  function wire(s) {
    s.on('connectionCreated', ({ connection }) => {
      if (connection.connectionId === myId()) return;
      const info = describeConnection(connection.data);
      if (!info.screen) upsertTile(connection.connectionId, { name: info.name }); // a shared screen gets a tile with its stream
    });
    s.on('connectionDestroyed', ({ connection }) => removeTile(connection.connectionId));
    s.on('streamCreated', ({ stream }) => {
      const info = describeConnection(stream.connection.data);
      if (info.screen && info.owner === myId()) return; // our own screen: shown from its publisher, not received back
      const subscriber = s.subscribe(stream, undefined);
      upsertTile(stream.connection.connectionId, {
        name: info.name,
        screen: info.screen || stream.typeOfVideo === 'SCREEN',
        streamManager: markRaw(subscriber),
        audioActive: stream.hasAudio && stream.audioActive,
        videoActive: stream.hasVideo && stream.videoActive,
      });
    });
    s.on('streamDestroyed', ({ stream }) => {
      const tile = findTile(stream.connection.connectionId);
      if (!tile || tile.local) return;
      if (tile.screen) removeTile(tile.id);
      else Object.assign(tile, { streamManager: null, audioActive: false, videoActive: false, speaking: false });
    });
    s.on('streamPropertyChanged', ({ stream, changedProperty, newValue }) => {
      const tile = findTile(stream.connection.connectionId);
      if (tile && (changedProperty === 'audioActive' || changedProperty === 'videoActive')) tile[changedProperty] = newValue;
    });
    s.on('publisherStartSpeaking', ({ connection }) => {
      const tile = findTile(connection.connectionId);
      if (tile) tile.speaking = true;
    });
    s.on('publisherStopSpeaking', ({ connection }) => {
      const tile = findTile(connection.connectionId);
      if (tile) tile.speaking = false;
    });
    s.on('signal:chat', event => receive({
      data: event.data,
      mine: !!event.from && event.from.connectionId === myId(),
      senderName: describeConnection(event.from?.data).name,
    }));
    s.on('reconnecting', () => notify('reconnecting', 'Connection lost. Reconnecting…'));
    s.on('reconnected', () => notify('reconnected', 'Reconnected.', 4000));
    s.on('sessionDisconnected', ({ reason }) => {
      if (session !== s) return; // we left ourselves
      session = null;
      end(endReasons[reason] ?? 'The call ended.');
    });
  }

  async function join({ sessionName, userName, media }) {
    if (state.status !== 'idle') return;
    Object.assign(state, { status: 'joining', error: '', sessionName, userName, notice: null });
    try {
      sessionId = await createSession(sessionName);
      const token = await createToken(sessionId);
      ov = newOpenVidu();
      session = ov.initSession();
      wire(session);
      await session.connect(token, JSON.stringify({ clientData: userName }));
    } catch (error) {
      end(`Could not join: ${error?.message ?? error}`);
      return;
    }
    state.tiles.unshift(newTile(myId(), { name: userName, local: true }));
    state.status = 'joined';
    window.addEventListener('pagehide', leave);
    await publishCamera(media);
  }

  async function publishCamera(media) {
    state.hasCamera = media.camera;
    state.hasMicrophone = media.microphone;
    if (!media.camera && !media.microphone) return;
    const current = session;
    let candidate = null;
    try {
      candidate = await ov.initPublisherAsync(undefined, {
        videoSource: media.camera ? media.cameraId || undefined : false,
        audioSource: media.microphone ? media.microphoneId || undefined : false,
        publishVideo: media.camera && media.cameraOn,
        publishAudio: media.microphone && media.micOn,
        resolution: '640x360', // 16:9, the shape of the tiles
        frameRate: 30,
        mirror: false, // the own tile is mirrored by the page, only on this screen
      });
      if (session !== current) throw new Error('left');
      await session.publish(candidate);
    } catch {
      stopTracks(candidate);
      if (session === current) {
        Object.assign(state, { hasCamera: false, hasMicrophone: false });
        notify('warning', 'Your camera and microphone could not start: the others cannot see or hear you.', 8000);
      }
      return;
    }
    publisher = markRaw(candidate);
    state.cameraOn = publisher.stream.videoActive;
    state.micOn = publisher.stream.audioActive;
    upsertTile(myId(), { streamManager: publisher, audioActive: state.micOn, videoActive: state.cameraOn });
  }

  function toggleMic() {
    if (!publisher || !state.hasMicrophone) return;
    state.micOn = !state.micOn;
    publisher.publishAudio(state.micOn);
    upsertTile(myId(), { audioActive: state.micOn });
  }

  async function toggleCamera() {
    if (!publisher || !state.hasCamera) return;
    state.cameraOn = !state.cameraOn;
    upsertTile(myId(), { videoActive: state.cameraOn });
    await publisher.publishVideo(state.cameraOn).catch(() => {});
  }

  async function startScreenShare() {
    if (screen || state.shareBusy || state.status !== 'joined') return;
    state.shareBusy = true;
    const current = session;
    const screenOv = newOpenVidu();
    let screenPublisher = null;
    let screenSession = null;
    try {
      // First, while the click still counts as a user gesture: the browser's picker (getDisplayMedia).
      screenPublisher = await screenOv.initPublisherAsync(undefined, {
        videoSource: 'screen', audioSource: false, publishAudio: false, publishVideo: true, mirror: false,
      });
      const token = await createToken(sessionId);
      screenSession = screenOv.initSession();
      await screenSession.connect(token, JSON.stringify({ clientData: state.userName, screen: true, owner: myId() }));
      if (session !== current) throw new Error('left');
      await screenSession.publish(screenPublisher);
    } catch (error) {
      stopTracks(screenPublisher);
      screenSession?.disconnect();
      state.shareBusy = false;
      if (error?.name !== 'SCREEN_CAPTURE_DENIED' && session === current) notify('warning', 'Screen sharing could not start.', 6000);
      return;
    }
    screen = { session: screenSession, publisher: markRaw(screenPublisher) };
    screenSession.on('sessionDisconnected', () => { if (screen?.session === screenSession) stopScreenShare(); });
    // The browser's own "Stop sharing" button ends the track.
    screenPublisher.stream.getMediaStream().getVideoTracks()[0]?.addEventListener('ended', stopScreenShare);
    state.tiles.push(newTile(screenSession.connection.connectionId, {
      name: state.userName, local: true, screen: true, streamManager: screen.publisher, videoActive: true,
    }));
    state.sharing = true;
    state.shareBusy = false;
  }

  function stopScreenShare() {
    if (!screen) return;
    const { session: screenSession, publisher: screenPublisher } = screen;
    screen = null;
    removeTile(screenSession.connection?.connectionId);
    screenSession.disconnect();
    stopTracks(screenPublisher);
    state.sharing = false;
  }

  function toggleScreenShare() {
    return screen ? stopScreenShare() : startScreenShare();
  }

  function sendChat(content) {
    const text = String(content ?? '');
    if (!session || !text.trim()) return false;
    session.signal({ data: JSON.stringify({ content: text, from: state.userName }), to: [], type: 'chat' })
      .catch(() => notify('warning', 'The message could not be sent.', 5000));
    return true;
  }

  /** Leaves the call (or cleans up after it ended) and shows `message` on the join screen. */
  function end(message = '') {
    window.removeEventListener('pagehide', leave);
    stopScreenShare();
    const s = session;
    session = null;
    try {
      s?.disconnect();
    } catch {
      // never connected: nothing to leave
    }
    stopTracks(publisher);
    publisher = null;
    ov = null;
    clearTimeout(noticeTimer);
    state.tiles.splice(0);
    resetChat();
    Object.assign(state, {
      status: 'idle', error: message, notice: null, hasCamera: false, hasMicrophone: false, cameraOn: false, micOn: false,
      sharing: false, shareBusy: false,
    });
  }

  function leave() {
    end('');
  }

  const canShareScreen = typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia;

  return { state, chat, canShareScreen, join, leave, toggleMic, toggleCamera, toggleScreenShare, sendChat };
}
