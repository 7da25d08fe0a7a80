package dev.asynclocks.stress.pinning;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A small class-file reader that finds what pins a virtual thread on JDK 21 and what core must
 * never use: methods flagged {@code ACC_SYNCHRONIZED}, {@code monitorenter} instructions, and
 * calls to {@code Object.wait} and {@code Thread.sleep}. (stress-tests compiles with
 * {@code --release 21}, where {@code java.lang.classfile} is not available.)
 *
 * {@snippet :
 * List<MonitorScanner.Finding> findings = MonitorScanner.scan(Files.readAllBytes(classFile));
 * }
 *
 * <pre>
 * Implementation overview (JVMS chapter 4)
 *
 *   constant pool   read into parallel arrays: tag, two u2 operands, and Utf8 strings; Long and
 *                   Double take two slots
 *   fields          skipped
 *   methods         flags checked for ACC_SYNCHRONIZED (0x0020); the Code attribute's bytecode
 *                   walked instruction by instruction, using each opcode's length (with the
 *                   padding of tableswitch/lookupswitch and the wide prefix), so that operand
 *                   bytes are never mistaken for opcodes
 * </pre>
 */
final class MonitorScanner {

    /** One forbidden construct: class, method, and what was found. */
    record Finding(String className, String method, String what) {
        @Override
        public String toString() {
            return className + "." + method + ": " + what;
        }
    }

    private static final int ACC_SYNCHRONIZED = 0x0020;
    private static final int MONITORENTER = 0xc2;

    private MonitorScanner() {
    }

    static List<Finding> scan(byte[] classFile) throws IOException {
        return new Reader(classFile).scan();
    }

    private static final class Reader {
        private final DataInputStream in;
        private int[] tags;
        private int[] first;
        private int[] second;
        private String[] utf8;
        private final List<Finding> findings = new ArrayList<>();

        Reader(byte[] classFile) {
            this.in = new DataInputStream(new ByteArrayInputStream(classFile));
        }

        List<Finding> scan() throws IOException {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException("not a class file");
            }
            in.readUnsignedShort(); // minor
            in.readUnsignedShort(); // major
            readConstantPool();
            in.readUnsignedShort(); // access flags
            String className = className(in.readUnsignedShort());
            in.readUnsignedShort(); // super
            skip(2 * in.readUnsignedShort()); // interfaces
            int fields = in.readUnsignedShort();
            for (int i = 0; i < fields; i++) {
                skip(6);
                skipAttributes();
            }
            int methods = in.readUnsignedShort();
            for (int i = 0; i < methods; i++) {
                int flags = in.readUnsignedShort();
                String method = utf8[in.readUnsignedShort()] + utf8[in.readUnsignedShort()];
                if ((flags & ACC_SYNCHRONIZED) != 0) {
                    findings.add(new Finding(className, method, "ACC_SYNCHRONIZED method"));
                }
                int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    String name = utf8[in.readUnsignedShort()];
                    int length = in.readInt();
                    if (name.equals("Code")) {
                        byte[] code = readCode(length);
                        scanCode(className, method, code);
                    } else {
                        skip(length);
                    }
                }
            }
            return findings;
        }

        private void readConstantPool() throws IOException {
            int count = in.readUnsignedShort();
            tags = new int[count];
            first = new int[count];
            second = new int[count];
            utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                tags[i] = tag;
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 3, 4 -> skip(4);                        // Integer, Float
                    case 5, 6 -> { skip(8); i++; }               // Long, Double: two slots
                    case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort(); // Class, String, MethodType, Module, Package
                    case 9, 10, 11, 12, 17, 18 -> {              // refs, NameAndType, (Invoke)Dynamic
                        first[i] = in.readUnsignedShort();
                        second[i] = in.readUnsignedShort();
                    }
                    case 15 -> skip(3);                          // MethodHandle
                    default -> throw new IOException("unknown constant pool tag " + tag + " at " + i);
                }
            }
        }

        private byte[] readCode(int attributeLength) throws IOException {
            skip(4); // max_stack, max_locals
            int codeLength = in.readInt();
            byte[] code = new byte[codeLength];
            in.readFully(code);
            skip(attributeLength - 8 - codeLength); // exception table and Code's own attributes
            return code;
        }

        private void scanCode(String className, String method, byte[] code) {
            int pc = 0;
            while (pc < code.length) {
                int opcode = code[pc] & 0xff;
                if (opcode == MONITORENTER) {
                    findings.add(new Finding(className, method, "monitorenter at " + pc));
                } else if (opcode >= 0xb6 && opcode <= 0xb9) { // invokevirtual .. invokeinterface
                    String target = methodRef(u2(code, pc + 1));
                    if (target.equals("java/lang/Object.wait") || target.equals("java/lang/Thread.sleep")) {
                        findings.add(new Finding(className, method, "call to " + target + " at " + pc));
                    }
                }
                pc += length(code, pc);
            }
        }

        /** The length of the instruction at {@code pc}, operands included. */
        private static int length(byte[] code, int pc) {
            int opcode = code[pc] & 0xff;
            switch (opcode) {
                case 0x10, 0x12, 0xbc, 0xa9 -> { return 2; }                   // bipush, ldc, newarray, ret
                case 0x11, 0x13, 0x14, 0x84, 0xa7, 0xa8, 0xc6, 0xc7 -> { return 3; } // sipush, ldc_w, ldc2_w, iinc, goto, jsr, ifnull, ifnonnull
                case 0xc8, 0xc9, 0xb9, 0xba -> { return 5; }                   // goto_w, jsr_w, invokeinterface, invokedynamic
                case 0xc5 -> { return 4; }                                     // multianewarray
                case 0xc4 -> { return (code[pc + 1] & 0xff) == 0x84 ? 6 : 4; } // wide
                case 0xaa -> {                                                 // tableswitch
                    int base = pad(pc);
                    int low = s4(code, base + 4);
                    int high = s4(code, base + 8);
                    return base - pc + 12 + 4 * (high - low + 1);
                }
                case 0xab -> {                                                 // lookupswitch
                    int base = pad(pc);
                    int pairs = s4(code, base + 4);
                    return base - pc + 8 + 8 * pairs;
                }
                default -> {
                    if (opcode >= 0x15 && opcode <= 0x19 || opcode >= 0x36 && opcode <= 0x3a) {
                        return 2;                                              // loads and stores with an index
                    }
                    if (opcode >= 0x99 && opcode <= 0xa6) {
                        return 3;                                              // if<cond>, if_icmp, if_acmp
                    }
                    if (opcode >= 0xb2 && opcode <= 0xb8 || opcode == 0xbb || opcode == 0xbd
                            || opcode == 0xc0 || opcode == 0xc1) {
                        return 3;                                              // fields, invokes, new, anewarray, checkcast, instanceof
                    }
                    return 1;
                }
            }
        }

        private static int pad(int pc) {
            return (pc + 4) & ~3; // the first operand byte after the opcode, aligned to 4
        }

        private static int u2(byte[] code, int at) {
            return (code[at] & 0xff) << 8 | (code[at + 1] & 0xff);
        }

        private static int s4(byte[] code, int at) {
            return (code[at] & 0xff) << 24 | (code[at + 1] & 0xff) << 16 | (code[at + 2] & 0xff) << 8 | (code[at + 3] & 0xff);
        }

        private String methodRef(int index) {
            int nameAndType = second[index];
            return className(first[index]) + "." + utf8[first[nameAndType]];
        }

        private String className(int classIndex) {
            return utf8[first[classIndex]];
        }

        private void skipAttributes() throws IOException {
            int attributes = in.readUnsignedShort();
            for (int a = 0; a < attributes; a++) {
                in.readUnsignedShort();
                skip(in.readInt());
            }
        }

        private void skip(int bytes) throws IOException {
            in.skipNBytes(bytes);
        }
    }
}
