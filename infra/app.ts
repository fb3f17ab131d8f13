import { buildAttractApp } from './attract-app.ts';

buildAttractApp().synth();
