import { describe, expect, it } from '@jest/globals';
import * as classValidator from 'class-validator';
import * as validators from '../../../app/src/http/validators.js';
import { RegisterDto } from '../../../app/src/identity/register.dto.js';

const { validatorPackage, ...decorators } = validators;

describe('class-validator loaded one file at a time (validators.ts)', () => {
  it.each(Object.keys(decorators))('%s is the very function the package index exports', (name) => {
    expect(decorators[name as keyof typeof decorators]).toBe(classValidator[name as keyof typeof classValidator]);
  });

  it('hands ValidationPipe the index’s metadata storage', () => {
    expect(validatorPackage.getMetadataStorage).toBe(classValidator.getMetadataStorage);
    expect(
      validatorPackage.getMetadataStorage().getTargetValidationMetadatas(RegisterDto, '', true, false).length,
    ).toBeGreaterThan(0);
  });

  it('validates a DTO as the index’s validate does', async () => {
    const refused = Object.assign(new RegisterDto(), { username: '!', password: 'short' });
    const accepted = Object.assign(new RegisterDto(), { username: 'alice', password: 'a long enough password' });
    const ours = await validatorPackage.validate(refused);
    expect(ours.map((error) => error.property).sort()).toEqual(['password', 'username']);
    expect(ours).toEqual(await classValidator.validate(refused));
    expect(await validatorPackage.validate(accepted)).toEqual([]);
  });
});
