import { describe, expect, it } from '@jest/globals';
import * as swagger from '@nestjs/swagger';
import {
  ApiOkResponse,
  ApiProperty,
  ApiTags,
  applyOpenApiDecorators,
} from '../../../app/src/http/openapi-decorators.js';

// @nestjs/swagger's metadata keys (its constants are not exported).
const DECORATORS = {
  API_TAGS: 'swagger/apiUseTags',
  API_RESPONSE: 'swagger/apiResponse',
  API_MODEL_PROPERTIES: 'swagger/apiModelProperties',
  API_MODEL_PROPERTIES_ARRAY: 'swagger/apiModelPropertiesArray',
};

describe('deferred OpenAPI decorators', () => {
  it('record now and attach swagger’s own metadata only when applied, once', () => {
    class Item {
      @ApiProperty({ example: 'general' })
      name!: string;
    }
    @ApiTags('items')
    class ItemsController {
      @ApiOkResponse({ type: Item })
      list(): Item[] {
        return [];
      }
    }
    const listMethod = Object.getOwnPropertyDescriptor(ItemsController.prototype, 'list')!.value as object;
    expect(Reflect.getMetadata(DECORATORS.API_TAGS, ItemsController)).toBeUndefined();
    expect(Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, Item.prototype)).toBeUndefined();

    applyOpenApiDecorators(swagger);

    expect(Reflect.getMetadata(DECORATORS.API_TAGS, ItemsController)).toEqual(['items']);
    expect(Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, Item.prototype)).toEqual([':name']);
    expect(Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, Item.prototype, 'name')).toMatchObject({
      example: 'general',
      type: String,
    });
    expect(Reflect.getMetadata(DECORATORS.API_RESPONSE, listMethod)).toMatchObject({ 200: { type: Item } });

    // Applied records are gone: a second pass adds nothing twice.
    applyOpenApiDecorators(swagger);
    expect(Reflect.getMetadata(DECORATORS.API_TAGS, ItemsController)).toEqual(['items']);
    expect(Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES_ARRAY, Item.prototype)).toEqual([':name']);
  });
});
