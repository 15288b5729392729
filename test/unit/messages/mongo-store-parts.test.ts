import { describe, expect, it } from '@jest/globals';
import mongoose from 'mongoose';
import type { MongoConfig } from '../../../app/src/config/app-config.js';
import { loadConfig } from '../../../app/src/config/load-config.js';
import { DUPLICATE_KEY, onlyDuplicateKeys } from '../../../app/src/messages/store/mongo/duplicate-key.js';
import { messageSchema } from '../../../app/src/messages/store/mongo/message.schema.js';
import {
  describeMongo,
  mongoConnectionSettings,
} from '../../../app/src/messages/store/mongo/mongo-connection-options.js';

/** The Mongo adapter's parts that need no server (the contract suite covers the rest where MongoDB runs). */
const mongoConfig = (env: Record<string, string>): MongoConfig => {
  const config = loadConfig({ NODE_ENV: 'test', MESSAGE_STORE: 'mongo', ...env });
  if (config.messageStore.kind !== 'mongo') throw new Error('expected mongo');
  return config.messageStore.mongo;
};

describe('Mongo connection settings', () => {
  it('connects to DocumentDB as the CDK stack configures it', () => {
    const settings = mongoConnectionSettings(
      mongoConfig({
        MONGO_HOST: 'docdb.cluster-abc.eu-west-1.docdb.amazonaws.com',
        MONGO_PORT: '27017',
        MONGO_USERNAME: 'chat',
        MONGO_PASSWORD: 'p@ss/word',
        MONGO_TLS_CA_FILE: '/etc/ssl/rds-global-bundle.pem',
        MONGO_REPLICA_SET: 'rs0',
        MONGO_RETRY_WRITES: 'false',
        MONGO_READ_PREFERENCE: 'secondaryPreferred',
      }),
    );
    expect(settings.uri).toBe('mongodb://docdb.cluster-abc.eu-west-1.docdb.amazonaws.com:27017/');
    expect(settings.options).toEqual({
      autoIndex: false,
      autoCreate: false,
      bufferCommands: false,
      serverSelectionTimeoutMS: 5_000,
      dbName: 'chat',
      auth: { username: 'chat', password: 'p@ss/word' },
      tls: true,
      tlsCAFile: '/etc/ssl/rds-global-bundle.pem',
      replicaSet: 'rs0',
      retryWrites: false,
      readPreference: 'secondaryPreferred',
    });
  });

  it("leaves a URL's own options alone unless a setting says otherwise", () => {
    const url = 'mongodb://u:p@db1:27017,db2:27017/messages?replicaSet=rs1&retryWrites=false';
    const settings = mongoConnectionSettings(mongoConfig({ MONGO_URL: url }));
    expect(settings.uri).toBe(url);
    expect(settings.options).toEqual({
      autoIndex: false,
      autoCreate: false,
      bufferCommands: false,
      serverSelectionTimeoutMS: 5_000,
    });

    const withoutDatabase = mongoConnectionSettings(
      mongoConfig({ MONGO_URL: 'mongodb+srv://cluster0.example.net/?tls=true', MONGO_DATABASE: 'chat2' }),
    );
    expect(withoutDatabase.options.dbName).toBe('chat2');
    expect(mongoConnectionSettings(mongoConfig({ MONGO_URL: 'mongodb://h', MONGO_TLS: 'true' })).options.tls).toBe(
      true,
    );
  });

  it('describes where it connects without the password', () => {
    expect(
      describeMongo(mongoConfig({ MONGO_URL: 'mongodb://user:secret@db.example:27017/chat?authSource=admin' })),
    ).toBe('mongodb://db.example:27017/chat');
    expect(describeMongo(mongoConfig({ MONGO_HOST: 'db', MONGO_PASSWORD: 'secret' }))).toBe('mongodb db:27017/chat');
  });

  it('refuses MESSAGE_STORE=mongo without a server to connect to, and URLs of another scheme', () => {
    expect(() => loadConfig({ NODE_ENV: 'test', MESSAGE_STORE: 'mongo' })).toThrow(
      /MESSAGE_STORE: mongo needs MONGO_URL or MONGO_HOST/,
    );
    expect(() => loadConfig({ NODE_ENV: 'test', MONGO_URL: 'http://db:27017/chat' })).toThrow(
      /MONGO_URL: expected a URL starting with mongodb/,
    );
  });
});

describe('Mongo message schema', () => {
  it('declares the unique indexes, the client id one partial, the events-by-target one, and builds none automatically', () => {
    expect(messageSchema.get('autoIndex')).toBe(false);
    expect(messageSchema.indexes()).toEqual([
      [{ roomId: 1, seq: 1 }, expect.objectContaining({ unique: true, name: 'room_seq' })],
      [
        { roomId: 1, senderId: 1, clientMsgId: 1 },
        expect.objectContaining({
          unique: true,
          name: 'room_sender_client_msg_id',
          partialFilterExpression: { clientMsgId: { $exists: true } },
        }),
      ],
      [
        { roomId: 1, targetSeq: 1 },
        expect.objectContaining({ name: 'room_target_seq', partialFilterExpression: { targetSeq: { $exists: true } } }),
      ],
    ]);
  });

  it('accepts a message document as the store writes it, with a binary body', () => {
    const Message = mongoose.model('MessageSchemaCheck', messageSchema);
    const document = new Message({
      _id: 'id-1',
      roomId: 'r',
      seq: 1,
      kind: 'message',
      senderId: 's',
      senderName: 'alice',
      contentType: 'application/octet-stream',
      body: Buffer.from([0, 255]),
      createdAt: new Date(),
      editedAt: null,
      deletedAt: null,
    });
    expect(document.validateSync()).toBeUndefined();
    expect(document.get('clientMsgId')).toBeUndefined();
    expect(document.get('targetSeq')).toBeUndefined();
  });

  it('accepts an edit event document with its target seq', () => {
    const Message = mongoose.model('MessageEventSchemaCheck', messageSchema);
    const document = new Message({
      _id: 'id-2',
      roomId: 'r',
      seq: 2,
      kind: 'edit',
      targetSeq: 1,
      senderId: 's',
      senderName: 'alice',
      contentType: 'text/plain',
      body: Buffer.from('new'),
      createdAt: new Date(),
      editedAt: null,
      deletedAt: null,
    });
    expect(document.validateSync()).toBeUndefined();
    expect(document.get('targetSeq')).toBe(1);
  });
});

describe('onlyDuplicateKeys', () => {
  const writeError = (code: number) => ({ code, index: 0, errmsg: `E${code}` });

  it('tolerates a bulk write whose every failure is a duplicate key', () => {
    expect(onlyDuplicateKeys({ code: DUPLICATE_KEY, writeErrors: [writeError(11000), writeError(11000)] })).toBe(true);
    expect(onlyDuplicateKeys({ code: DUPLICATE_KEY, writeErrors: writeError(11000) })).toBe(true);
    expect(
      onlyDuplicateKeys(new mongoose.mongo.MongoServerError({ message: 'E11000 duplicate key', code: 11000 })),
    ).toBe(true);
  });

  it('does not tolerate anything else', () => {
    expect(onlyDuplicateKeys({ code: DUPLICATE_KEY, writeErrors: [writeError(11000), writeError(121)] })).toBe(false);
    expect(onlyDuplicateKeys({ code: 64, writeErrors: [] })).toBe(false);
    expect(
      onlyDuplicateKeys({
        writeErrors: [writeError(11000)],
        result: { getWriteConcernError: () => ({ code: 64, errmsg: 'waiting for replication timed out' }) },
      }),
    ).toBe(false);
    expect(onlyDuplicateKeys(new mongoose.mongo.MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27017'))).toBe(false);
    expect(onlyDuplicateKeys(new Error('boom'))).toBe(false);
    expect(onlyDuplicateKeys(undefined)).toBe(false);
  });
});
