import { describe, expect, it } from 'vitest';
import { parseArgs, SCENARIOS, UsageError } from '../../bench/args.js';

const OUT = '/tmp/results.json';

describe('the benchmark command line', () => {
  it('runs every scenario and provider with 15 rounds by default', () => {
    const args = parseArgs([], OUT);
    expect(args).toMatchObject({ quick: false, rounds: 15, out: OUT, nodes: [] });
    expect(args.scenarios).toEqual([...SCENARIOS]);
    expect(args.providers).toEqual(['socotra', 'tines', 'fujitsu', 'illumio', 'informatica']);
  });

  it('--quick lowers rounds and sizes; explicit flags still win', () => {
    const quick = parseArgs(['--quick'], OUT);
    const full = parseArgs([], OUT);
    expect(quick.rounds).toBeLessThan(full.rounds);
    expect(quick.events).toBeLessThan(full.events);
    expect(quick.memoryEvents).toBeLessThan(full.memoryEvents);
    expect(parseArgs(['--quick', '--rounds', '20'], OUT).rounds).toBe(20);
  });

  it('reads lists, repeated --node and --out', () => {
    const args = parseArgs(['--only', 'throughput,size', '--providers', 'illumio', '--node', '/a/node', '--node', '/b/node', '--out', 'x.json'], OUT);
    expect(args.scenarios).toEqual(['throughput', 'size']);
    expect(args.providers).toEqual(['illumio']);
    expect(args.nodes).toEqual(['/a/node', '/b/node']);
    expect(args.out).toBe('x.json');
  });

  it.each([
    [['--rounds', '0'], '--rounds'],
    [['--rounds', 'many'], '--rounds'],
    [['--events', '10'], '--events'],
    [['--only', 'speed'], '--only'],
    [['--providers', 'splunk'], '--providers'],
    [['--node'], '--node'],
    [['--fast'], '--fast'],
  ])('refuses %j naming the flag', (argv, flag) => {
    expect(() => parseArgs(argv, OUT)).toThrow(UsageError);
    expect(() => parseArgs(argv, OUT)).toThrow(flag);
  });
});
