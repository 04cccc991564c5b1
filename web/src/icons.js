// The icons the client uses, as SVG paths (tree-shaken from @mdi/js).
export {
  mdiAlertCircleOutline,
  mdiChat,
  mdiChatOutline,
  mdiClose,
  mdiLanConnect,
  mdiLanDisconnect,
  mdiMicrophone,
  mdiMicrophoneOff,
  mdiMonitorShare,
  mdiMonitorOff,
  mdiPhoneHangup,
  mdiSend,
  mdiVideo,
  mdiVideoOff,
} from '@mdi/js';
