package org.calmnest.kernel.eval;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.util.HashSet;
import java.util.Set;

/**
 * Rewrites snippet class files so that each method body calls {@link StopCheck#check()} on entry
 * and before each backward jump (the back edge of every loop). Nothing else changes: the call
 * takes and returns nothing, so stack sizes and stack-map frames stay valid.
 */
final class StopCheckInstrumenter {

    private static final String OWNER = StopCheck.class.getName().replace('.', '/');

    private StopCheckInstrumenter() {
    }

    /**
     * Returns the instrumented class file, or the original bytes when ASM cannot read them (a class
     * file version newer than this ASM knows): the code then runs, only without the stop checks.
     */
    static byte[] instrument(byte[] classFile) {
        try {
            ClassReader reader = new ClassReader(classFile);
            ClassWriter writer = new ClassWriter(reader, 0);
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor,
                                                 String signature, String[] exceptions) {
                    MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                    return new StopCheckWeaver(mv);
                }
            }, 0);
            return writer.toByteArray();
        } catch (RuntimeException e) {
            return classFile;
        }
    }

    private static final class StopCheckWeaver extends MethodVisitor {
        private final Set<Label> seen = new HashSet<>();

        StopCheckWeaver(MethodVisitor mv) {
            super(Opcodes.ASM9, mv);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            stopCheck();
        }

        @Override
        public void visitLabel(Label label) {
            seen.add(label);
            super.visitLabel(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (seen.contains(label)) { // a label already visited: a backward branch, i.e. a loop
                stopCheck();
            }
            super.visitJumpInsn(opcode, label);
        }

        private void stopCheck() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, OWNER, "check", "()V", false);
        }
    }
}
