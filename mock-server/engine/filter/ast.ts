// Filter AST.
import type { PathStep } from '../message.js';

export type CmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/' | '%';

export type Node =
  | { readonly k: 'lit'; readonly pos: number; readonly v: null | number | string | boolean }
  | { readonly k: 'id'; readonly pos: number; readonly path: readonly PathStep[]; readonly text: string }
  | { readonly k: 'neg'; readonly pos: number; readonly e: Node }
  | { readonly k: 'arith'; readonly pos: number; readonly op: ArithOp; readonly l: Node; readonly r: Node }
  | { readonly k: 'cmp'; readonly pos: number; readonly op: CmpOp; readonly l: Node; readonly r: Node }
  | { readonly k: 'and' | 'or'; readonly pos: number; readonly l: Node; readonly r: Node }
  | { readonly k: 'not'; readonly pos: number; readonly e: Node }
  | { readonly k: 'between'; readonly pos: number; readonly not: boolean; readonly e: Node; readonly lo: Node; readonly hi: Node }
  | { readonly k: 'in'; readonly pos: number; readonly not: boolean; readonly e: Node; readonly list: readonly Node[] }
  | { readonly k: 'like'; readonly pos: number; readonly not: boolean; readonly e: Node; readonly pattern: string; readonly re: RegExp }
  | { readonly k: 'begins' | 'ends'; readonly pos: number; readonly not: boolean; readonly e: Node; readonly list: readonly Node[] }
  | { readonly k: 'isnull'; readonly pos: number; readonly not: boolean; readonly e: Node }
  | { readonly k: 'call'; readonly pos: number; readonly name: string; readonly args: readonly Node[] }
  | {
      readonly k: 'case';
      readonly pos: number;
      readonly base?: Node;
      readonly whens: readonly { readonly when: Node; readonly then: Node }[];
      readonly otherwise?: Node;
    };
