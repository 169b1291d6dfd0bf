// Type-level tests: invalid builder calls must not compile.
import { describe, expectTypeOf, it } from 'vitest';
import { Command, type CommandBase, type SowCommand, type PublishCommand, type CommandBuilders } from '../../generated/command-builder.js';
import type { AckType, ConnectionState, ConnectionStateName } from '../../generated/enums.js';
import type { Header, HeaderFields } from '../../generated/header-fields.js';
import type { CommandName } from '../../generated/commands.js';
import type { OptionName } from '../../generated/options.js';
import { MessageFields } from '../../generated/message-fields.js';
import { BadFilterException, CommandException, exceptionForReason, type AMPSException } from '../../generated/errors.js';

describe('Command builders', () => {
  it('chains keep the per-command type', () => {
    const sow = Command.sow('orders').filter("/symbol = 'ROL'").batchSize(100).topN(10);
    expectTypeOf(sow).toEqualTypeOf<SowCommand>();
    expectTypeOf(sow.commandName).toEqualTypeOf<'sow'>();
    expectTypeOf(Command.publish('t').body('x').expiration(3)).toEqualTypeOf<PublishCommand>();
    expectTypeOf(Command.create('sow_delete')).toEqualTypeOf<CommandBuilders['sow_delete']>();
    expectTypeOf(sow).toMatchTypeOf<CommandBase>();
    expectTypeOf(sow.header).toEqualTypeOf<Header>();
  });

  it('rejects fields and options a command does not accept', () => {
    // @ts-expect-error publish has no batch size
    Command.publish('t').batchSize(10);
    // @ts-expect-error publish has no filter
    Command.publish('t').filter('/a = 1');
    // @ts-expect-error subscribe has no order by
    Command.subscribe('t').orderBy('/a');
    // @ts-expect-error oof is not a publish option
    Command.publish('t').oof();
    // @ts-expect-error max_backlog is not a sow option
    Command.sow('t').maxBacklog(3);
    // @ts-expect-error cancel only applies to sow_delete
    Command.subscribe('t').cancel();
    // @ts-expect-error a subscribe has no body
    Command.subscribe('t').body('x');
    // @ts-expect-error heartbeat takes no topic
    Command.heartbeat().topic('t');
    // @ts-expect-error the topic is required by the factory
    Command.sow();
    // @ts-expect-error top_n the option is topNOption(), topN() is the header
    Command.subscribe('t').topNOption(3);
    // @ts-expect-error server-only fields have no setter
    Command.sow('t').recordsReturned(3);
    // @ts-expect-error legacy flags have no setter (use options)
    Command.sow('t').sendOutOfFocus(true);
  });

  it('rejects badly typed arguments', () => {
    // @ts-expect-error batch size is a number
    Command.sow('t').batchSize('10');
    // @ts-expect-error unknown ack type
    Command.sow('t').ackType('processed', 'bogus');
    // @ts-expect-error bookmark_not_found takes now | epoch | fail
    Command.subscribe('t').bookmarkNotFound('later');
    // @ts-expect-error unknown command name
    Command.create('publsh');
    Command.publish('t').sequence(1n).sequence(2);
    // @ts-expect-error sequence is bigint or number
    Command.publish('t').sequence('3');
    expectTypeOf(Command.sow('t').ackType).parameters.toEqualTypeOf<AckType[]>();
  });
});

describe('generated unions and header types', () => {
  it('types header fields', () => {
    expectTypeOf<HeaderFields['sequence']>().toEqualTypeOf<bigint | undefined>();
    expectTypeOf<HeaderFields['batchSize']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<HeaderFields['topic']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<HeaderFields['sendEmpty']>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<Header['extras']>().toEqualTypeOf<Record<string, string | number | bigint | boolean> | undefined>();
    expectTypeOf<'sow'>().toMatchTypeOf<CommandName>();
    expectTypeOf<'max_backlog'>().toMatchTypeOf<OptionName>();
    expectTypeOf<ConnectionState>().toEqualTypeOf<0 | 1 | 2 | 4 | 8 | 16 | 32 | 16384>();
    expectTypeOf<'LoggedOn'>().toMatchTypeOf<ConnectionStateName>();
  });

  it('MessageFields getters are typed', () => {
    abstract class M extends MessageFields {}
    expectTypeOf<M['sequence']>().toEqualTypeOf<bigint | undefined>();
    expectTypeOf<M['subscriptionIds']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<M['ackTypes']>().toEqualTypeOf<AckType[]>();
  });

  it('errors narrow through instanceof', () => {
    const e: unknown = exceptionForReason('bad filter');
    if (e instanceof BadFilterException) {
      expectTypeOf(e).toEqualTypeOf<BadFilterException>();
      expectTypeOf(e.reason).toEqualTypeOf<string | undefined>();
    }
    expectTypeOf(exceptionForReason('x')).toEqualTypeOf<AMPSException>();
    expectTypeOf<BadFilterException>().toMatchTypeOf<CommandException>();
  });
});
