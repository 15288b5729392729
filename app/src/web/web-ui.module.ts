import { Module } from '@nestjs/common';
import { WebUiController } from './web-ui.controller.js';

/** The browser chat at GET / (built from client/web by `npm run build`). */
@Module({ controllers: [WebUiController] })
export class WebUiModule {}
