// Vuetify with its SVG icon set: icons are path strings from @mdi/js bundled into the script, so nothing is
// fetched from anywhere but Parley. Components are imported where used (vite-plugin-vuetify).
import 'vuetify/styles';
import { createVuetify } from 'vuetify';
import { aliases, mdi } from 'vuetify/iconsets/mdi-svg';

export default createVuetify({
  icons: { defaultSet: 'mdi', aliases, sets: { mdi } },
  theme: {
    defaultTheme: 'parley',
    themes: {
      parley: {
        dark: true,
        colors: {
          background: '#101318',
          surface: '#1a1e25',
          'surface-variant': '#2a303a',
          'on-surface-variant': '#e6e9ef',
          primary: '#4d8dff',
          secondary: '#9aa4b5',
          error: '#ef5350',
          success: '#43a047',
          warning: '#f9a825',
        },
      },
    },
  },
  defaults: {
    VBtn: { rounded: 'lg' },
    VTextField: { variant: 'outlined', density: 'comfortable' },
    VSelect: { variant: 'outlined', density: 'comfortable' },
  },
});
