// The join screen's camera and microphone: a preview stream, the devices to choose from (remembered), and whether
// each is on. It falls back to whatever works (camera only, microphone only, nothing), so a visitor without devices
// or permission can still join to watch and chat.
import { onBeforeUnmount, onMounted, ref, shallowRef, watch } from 'vue';
import { load, save } from '../services/preferences.js';

function describeFailure(error) {
  switch (error?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera and microphone are blocked for this page. You can still join to watch and chat.';
    case 'NotReadableError':
      return 'The camera or microphone is in use by another application.';
    default:
      return 'No camera or microphone found. You can still join to watch and chat.';
  }
}

export function useMediaPreview() {
  const stream = shallowRef(null);
  const cameras = ref([]);
  const microphones = ref([]);
  const cameraId = ref(load('camera'));
  const microphoneId = ref(load('microphone'));
  const cameraOn = ref(load('cameraOn', 'true') === 'true');
  const micOn = ref(load('micOn', 'true') === 'true');
  const hasCamera = ref(false);
  const hasMicrophone = ref(false);
  const starting = ref(false);
  const problem = ref('');
  let generation = 0;
  let opening = Promise.resolve();

  function stop() {
    generation++;
    stream.value?.getTracks().forEach(track => track.stop());
    stream.value = null;
    starting.value = false;
  }

  async function acquire() {
    const video = { width: { ideal: 640 }, height: { ideal: 360 }, ...(cameraId.value ? { deviceId: { exact: cameraId.value } } : {}) };
    const audio = microphoneId.value ? { deviceId: { exact: microphoneId.value } } : true;
    let failure;
    for (const constraints of [{ video, audio }, { video }, { audio }]) {
      try {
        return await navigator.mediaDevices.getUserMedia(constraints);
      } catch (error) {
        failure = error;
        // No permission will not come with fewer devices; a missing remembered device is handled by the caller.
        if (['NotAllowedError', 'SecurityError', 'OverconstrainedError'].includes(error?.name)) break;
      }
    }
    throw failure;
  }

  async function listDevices() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    const pick = (kind, fallback) => devices.filter(d => d.kind === kind && d.deviceId)
      .map((d, i) => ({ title: d.label || `${fallback} ${i + 1}`, value: d.deviceId }));
    cameras.value = pick('videoinput', 'Camera');
    microphones.value = pick('audioinput', 'Microphone');
  }

  function open() {
    opening = start();
    return opening;
  }

  async function start() {
    stop();
    const mine = generation;
    starting.value = true;
    problem.value = '';
    let media = null;
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error('unsupported');
      try {
        media = await acquire();
      } catch (error) {
        if (error?.name !== 'OverconstrainedError' || !(cameraId.value || microphoneId.value)) throw error;
        // A remembered device is gone: take the defaults.
        cameraId.value = '';
        microphoneId.value = '';
        media = await acquire();
      }
    } catch (error) {
      if (mine !== generation) return;
      problem.value = describeFailure(error);
    }
    if (mine !== generation) {
      media?.getTracks().forEach(track => track.stop());
      return;
    }
    const videoTrack = media?.getVideoTracks()[0];
    const audioTrack = media?.getAudioTracks()[0];
    hasCamera.value = !!videoTrack;
    hasMicrophone.value = !!audioTrack;
    if (videoTrack) {
      videoTrack.enabled = cameraOn.value;
      cameraId.value = videoTrack.getSettings().deviceId ?? cameraId.value;
    }
    if (audioTrack) {
      audioTrack.enabled = micOn.value;
      microphoneId.value = audioTrack.getSettings().deviceId ?? microphoneId.value;
    }
    stream.value = media;
    starting.value = false;
    if (media) {
      await listDevices().catch(() => {});
      // Only devices the browser lists can be asked for again (a track may come from elsewhere than a device).
      if (!cameras.value.some(d => d.value === cameraId.value)) cameraId.value = '';
      if (!microphones.value.some(d => d.value === microphoneId.value)) microphoneId.value = '';
    }
  }

  function choose(kind, deviceId) {
    const target = kind === 'camera' ? cameraId : microphoneId;
    if (target.value === deviceId) return;
    target.value = deviceId;
    save(kind, deviceId);
    open();
  }

  watch(cameraOn, on => {
    save('cameraOn', String(on));
    stream.value?.getVideoTracks().forEach(track => { track.enabled = on; });
  });
  watch(micOn, on => {
    save('micOn', String(on));
    stream.value?.getAudioTracks().forEach(track => { track.enabled = on; });
  });

  const onDeviceChange = () => listDevices().catch(() => {});
  onMounted(() => navigator.mediaDevices?.addEventListener('devicechange', onDeviceChange));
  onBeforeUnmount(() => {
    navigator.mediaDevices?.removeEventListener('devicechange', onDeviceChange);
    stop();
  });

  /** What the call needs to start publishing the same devices, once the preview has found out what there is. */
  async function settings() {
    for (let pending = null; pending !== opening;) {
      pending = opening;
      await pending;
    }
    return {
      camera: hasCamera.value,
      microphone: hasMicrophone.value,
      cameraId: cameraId.value,
      microphoneId: microphoneId.value,
      cameraOn: cameraOn.value,
      micOn: micOn.value,
    };
  }

  return {
    stream, cameras, microphones, cameraId, microphoneId, cameraOn, micOn, hasCamera, hasMicrophone, starting, problem,
    open, stop, choose, settings,
  };
}
